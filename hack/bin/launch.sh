#!/bin/sh
# Shared body of the npm `bin` shims (kplane, kplane-syncer, kubectl-ws): run cmd/<binary>/main.ts
# with the Node 24 that `npm ci` installed, whatever `node` the caller's PATH has.
# `exec` hands this process over to Node: no second runtime stays resident (a JavaScript shim
# cost ~48 MiB), signals reach the binary directly, and nothing is orphaned when a parent dies.
set -eu
binary=$1
shift
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
node="$root/node_modules/node/bin/node"
[ -x "$node" ] || node=node
exec "$node" "$root/cmd/$binary/main.ts" "$@"
