#!/bin/sh
# Shared body of the npm `bin` shims (kplane, kplane-syncer, kubectl-ws): run the binary with the
# Node 24 that `npm ci` installed, whatever `node` the caller's PATH has. It runs the compiled
# dist/cmd/<binary>/main.js (hack/build.mjs) while that is at least as new as every file under
# apis/, pkg/ and cmd/ (the dashboard's assets included), and
# cmd/<binary>/main.ts otherwise: an edited source is never shadowed by a stale build.
# `exec` hands this process over to Node: no second runtime stays resident (a JavaScript shim
# cost ~48 MiB), signals reach the binary directly, and nothing is orphaned when a parent dies.
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
exec "$node" "$main" "$@"
