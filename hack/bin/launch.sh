#!/bin/sh
# Shared body of the npm `bin` shims (kplane, kplane-syncer, kubectl-ws): run the binary with the
# Node 24 that `npm ci` installed, whatever `node` the caller's PATH has. It runs the compiled
# dist/cmd/<binary>/main.js (hack/build.mjs) while that is at least as new as every file under
# apis/, pkg/ and cmd/ (the dashboard's assets included), and
# cmd/<binary>/main.ts otherwise: an edited source is never shadowed by a stale build.
# `exec` hands this process over to Node: no second runtime stays resident (a JavaScript shim
# cost ~48 MiB), signals reach the binary directly, and nothing is orphaned when a parent dies.
#
# Memory allocator: when the system has jemalloc (Debian/Ubuntu: libjemalloc2) it is preloaded,
# unless KPLANE_MALLOC=system. glibc's malloc keeps the memory a burst of requests fragmented in
# its arenas (TLS records, socket reads, SQLite pages): ~75 MiB stayed resident after 10,000
# SyncTargets were created, for good. jemalloc gives unused pages back within seconds; its
# background thread does so while the process is idle too (docs/operations.md, Memory).
set -eu
binary=$1
shift
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
node="$root/node_modules/node/bin/node"
[ -x "$node" ] || node=node
main="$root/cmd/$binary/main.ts"
if [ -f "$root/dist/.stamp" ] && [ -f "$root/dist/cmd/$binary/main.js" ] &&
  [ -z "$(find "$root/apis" "$root/pkg" "$root/cmd" -newer "$root/dist/.stamp" -print 2>/dev/null | head -n 1)" ]; then
  main="$root/dist/cmd/$binary/main.js"
fi
case "${KPLANE_MALLOC:-jemalloc}" in
  jemalloc)
    . "$root/hack/bin/jemalloc.sh"
    if lib=$(find_jemalloc); then
      export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
      # An operator's own MALLOC_CONF wins.
      export MALLOC_CONF="${MALLOC_CONF:-$KPLANE_MALLOC_CONF}"
    fi
    ;;
  system) ;;
  *)
    echo "KPLANE_MALLOC must be jemalloc or system, not \"$KPLANE_MALLOC\"" >&2
    exit 2
    ;;
esac
exec "$node" "$main" "$@"
