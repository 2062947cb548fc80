#!/usr/bin/env bash
# Assemble the root filesystem of kplane's image in OUT, the same way for both builds
# (hack/image/build.sh offline, Containerfile from an official Node image):
#   /usr/local/bin/node + the shared objects `ldd` lists for it + its dynamic loader,
#   /etc/passwd and /etc/group naming the numeric non-root user,
#   /app/{apis,pkg,cmd} compiled to JavaScript (SRC/dist, hack/build.mjs: no TypeScript stripping
#   at run time, ~30 MiB less RSS per process), /app/{package.json,package-lock.json},
#   /app/node_modules from NODE_MODULES (production-only: the caller prunes or installs it),
#   /tmp (1777); and STATE_OUT, an empty directory to copy to /var/lib/kplane owned by the user.
# No shell, no package manager: nothing in the image but what the two binaries load.
# The layout must match pkg/syncer/manifests/image.ts (hack/image/layout.test.ts checks).
#
# With JEMALLOC (a path to libjemalloc.so.2) the library goes to /usr/local/lib/libjemalloc.so.2
# (layout.ts IMAGE_JEMALLOC, which the image's LD_PRELOAD names; its own shared objects are
# Node's). Empty or absent: no jemalloc in the image.
#
# Usage: hack/image/rootfs.sh NODE SRC NODE_MODULES OUT [JEMALLOC]
set -euo pipefail
[ $# -eq 4 ] || [ $# -eq 5 ] || { echo "usage: $0 NODE SRC NODE_MODULES OUT [JEMALLOC]" >&2; exit 2; }
node=$1 src=$2 modules=$3 out=$4 jemalloc=${5:-}
uid=65532
app=/app

[ ! -e "$out" ] || { echo "error: $out exists" >&2; exit 1; }
mkdir -p "$out/usr/local/bin" "$out$app" "$out/etc" "$out/tmp"
chmod 1777 "$out/tmp"

# Node and exactly the shared objects it loads. Symbols serve native debuggers only; dropping
# them saves ~12 MiB where binutils is installed.
cp "$node" "$out/usr/local/bin/node"
if command -v strip >/dev/null; then strip "$out/usr/local/bin/node"; fi
ldd "$node" | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]+ \(/ { print $1 }' | while read -r lib; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# Without its loader the binary "does not exist" inside the image: fail here, not at run time.
[ -n "$(find "$out" -name 'ld-linux*.so*' -print -quit)" ] || { echo "error: ldd listed no dynamic loader for $node" >&2; exit 1; }

if [ -n "$jemalloc" ]; then
  mkdir -p "$out/usr/local/lib"
  cp -L "$jemalloc" "$out/usr/local/lib/libjemalloc.so.2"
fi

# A user database so tools and Node's os.userInfo() see a name for the numeric user.
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%s:%s:nonroot:/home/nonroot:/sbin/nologin\n' "$uid" "$uid" >"$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:%s:\n' "$uid" >"$out/etc/group"

# The app as compiled by hack/build.mjs (it leaves tests out), and package.json (ESM modules).
[ -f "$src/dist/cmd/kplane/main.js" ] || { echo "error: $src/dist is not built (node hack/build.mjs)" >&2; exit 1; }
cp -a "$src/dist/apis" "$src/dist/pkg" "$src/dist/cmd" "$src/package.json" "$src/package-lock.json" "$out$app/"

# Production node_modules, without files Node never loads at run time.
cp -a "$modules" "$out$app/node_modules"
find "$out$app/node_modules" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' -o -name '*.md' -o -name '*.markdown' \) -delete
rm -rf "$out$app/node_modules/.bin"
