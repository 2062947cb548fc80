#!/usr/bin/env bash
# `npm run image`: build kplane's OCI image without any registry, FROM scratch, from what is on
# this machine: the pinned Node binary that `npm ci` brought, the shared libraries it links (as
# `ldd` lists them, with the loader), the app sources and the production-only node_modules.
# One image, two entrypoints: `kplane` (default) and `kplane-syncer`
# (/usr/local/bin/node /app/cmd/kplane-syncer/main.ts; see pkg/syncer/manifests/image.ts).
#
# Output: the image in local containers-storage as localhost/kplane:<version> and an
# oci-archive at dist/kplane-<version>.oci.tar that `podman load`, `docker load` and
# `kind load image-archive` accept. Prints the image's size, uncompressed and compressed.
#
# Usage: hack/image/build.sh [--tag REF] [--output FILE]
# Needs (Debian): buildah skopeo; run as root or with rootless containers-storage set up.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
node="$root/node_modules/node/bin/node"
[ -x "$node" ] || { echo "error: $node is missing; run npm ci first" >&2; exit 1; }
version=$("$node" -p "require('$root/package.json').version")
tag="localhost/kplane:$version"
output="$root/dist/kplane-$version.oci.tar"
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1" >&2; exit 2 ;;
  esac
done
for tool in buildah skopeo npm ldd; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install -y buildah skopeo)" >&2; exit 1; }
done

# Must match pkg/syncer/manifests/image.ts (hack/image/layout.test.ts checks it).
uid=65532
app=/app
state=/var/lib/kplane

work=$(mktemp -d "${TMPDIR:-/tmp}/kplane-image-XXXXXX")
ctr=
cleanup() {
  [ -n "$ctr" ] && buildah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# Quiet buildah's informational log lines; errors still show.
buildah() { command buildah --log-level=error "$@"; }
rootfs="$work/rootfs"
mkdir -p "$rootfs/usr/local/bin" "$rootfs$app" "$rootfs/etc" "$rootfs/tmp" "$work/state"
chmod 1777 "$rootfs/tmp"

# Node and exactly the shared objects it loads; the loader path is what the ELF header names.
cp "$node" "$rootfs/usr/local/bin/node"
# Symbols serve native debuggers only; dropping them saves ~12 MiB. Optional (binutils).
if command -v strip >/dev/null; then strip "$rootfs/usr/local/bin/node"; fi
ldd "$node" | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]+ \(/ { print $1 }' | while read -r lib; do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
# Without its loader the binary "does not exist" inside the image: fail here, not at run time.
[ -n "$(find "$rootfs" -name 'ld-linux*.so*' -print -quit)" ] || { echo "error: ldd listed no dynamic loader for $node" >&2; exit 1; }

# A user database so tools and Node's os.userInfo() see a name for the numeric user.
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%s:%s:nonroot:/home/nonroot:/sbin/nologin\n' "$uid" "$uid" >"$rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:%s:\n' "$uid" >"$rootfs/etc/group"

# App sources, without tests.
cp -a "$root/apis" "$root/pkg" "$root/cmd" "$root/package.json" "$root/package-lock.json" "$rootfs$app/"
find "$rootfs$app" \( -name '*.test.ts' -o -name '*.test-helper.ts' \) -delete

# Production node_modules: a copy of the installed tree pruned of devDependencies (no registry
# needed; the lockfile fixes the versions). The `node` devDependency goes too: its binary was
# copied above.
mkdir -p "$work/deps"
cp "$root/package.json" "$root/package-lock.json" "$work/deps/"
cp -a "$root/node_modules" "$work/deps/"
(cd "$work/deps" && npm prune --omit=dev --ignore-scripts --offline --no-audit --no-fund --loglevel=error >/dev/null)
# Files Node never loads at run time.
find "$work/deps/node_modules" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' -o -name '*.md' -o -name '*.markdown' \) -delete
rm -rf "$work/deps/node_modules/.bin"
mv "$work/deps/node_modules" "$rootfs$app/node_modules"

ctr=$(buildah from scratch)
buildah copy --quiet "$ctr" "$rootfs/" / >/dev/null
buildah copy --quiet --chown "$uid:$uid" "$ctr" "$work/state/" "$state" >/dev/null
buildah config \
  --user "$uid:$uid" \
  --workingdir "$app" \
  --env NODE_ENV=production \
  --entrypoint "[\"/usr/local/bin/node\", \"$app/cmd/kplane/main.ts\"]" \
  --cmd "[\"start\", \"--root-dir=$state\", \"--bind-address=0.0.0.0\"]" \
  --port 6443/tcp \
  --volume "$state" \
  --label "org.opencontainers.image.title=kplane" \
  --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.description=kplane and kplane-syncer (entrypoint $app/cmd/kplane-syncer/main.ts)" \
  --label "org.opencontainers.image.licenses=Apache-2.0" \
  "$ctr"
buildah commit --quiet --rm "$ctr" "$tag" >/dev/null
ctr=

mkdir -p "$(dirname "$output")"
rm -f "$output"
# The reference inside the archive is what `podman load` / `docker load` tag the image as.
skopeo copy --quiet "containers-storage:$tag" "oci-archive:$output:$tag"

uncompressed=$(du -sb "$rootfs" | cut -f1)
compressed=$(stat -c %s "$output")
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "image:        $tag"
echo "archive:      $output"
echo "uncompressed: $(mib "$uncompressed") ($uncompressed bytes: node $(mib "$(stat -c %s "$rootfs/usr/local/bin/node")"), node_modules $(mib "$(du -sb "$rootfs$app/node_modules" | cut -f1)"))"
echo "compressed:   $(mib "$compressed") ($compressed bytes, the oci-archive)"
