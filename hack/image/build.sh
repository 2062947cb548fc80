#!/usr/bin/env bash
# `npm run image`: build kplane's OCI image without any registry, FROM scratch, from what is on
# this machine: the pinned Node binary that `npm ci` brought, the shared libraries it links (as
# `ldd` lists them, with the loader), the app sources and the production-only node_modules
# (hack/image/rootfs.sh lays them out; Containerfile does the same from an official Node image).
# One image, two entrypoints: `kplane` (default) and `kplane-syncer`
# (/usr/local/bin/node /app/cmd/kplane-syncer/main.js; see pkg/syncer/manifests/image.ts).
# The app goes in as hack/build.mjs compiles it (dist/), rebuilt first when a source changed.
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

# The layout the syncer Deployment relies on (pkg/syncer/manifests/image.ts): image_uid,
# image_node, image_app, image_state, image_entrypoint, image_cmd, image_syncer_command.
eval "$("$node" "$root/hack/image/layout.ts")"

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
mkdir -p "$work/state"

# The compiled app (rootfs.sh copies dist/): rebuilt here when a source is newer than it.
"$node" "$root/hack/build.mjs" --if-stale

# Production node_modules: a copy of the installed tree pruned of devDependencies (no registry
# needed; the lockfile fixes the versions). The `node` devDependency goes too: rootfs.sh copies
# its binary on its own.
mkdir -p "$work/deps"
cp "$root/package.json" "$root/package-lock.json" "$work/deps/"
cp -a "$root/node_modules" "$work/deps/"
(cd "$work/deps" && npm prune --omit=dev --ignore-scripts --offline --no-audit --no-fund --loglevel=error >/dev/null)
# jemalloc from this machine when it has one (apt-get install libjemalloc2), as the launcher
# would use it here; without it the image runs on glibc's malloc.
. "$root/hack/bin/jemalloc.sh"
jemalloc=$(find_jemalloc || true)
"$root/hack/image/rootfs.sh" "$node" "$root" "$work/deps/node_modules" "$rootfs" "$jemalloc"
rm -rf "$work/deps"

ctr=$(buildah from scratch)
buildah copy --quiet "$ctr" "$rootfs/" / >/dev/null
buildah copy --quiet --chown "$image_uid:$image_uid" "$ctr" "$work/state/" "$image_state" >/dev/null
allocator_env=()
[ -z "$jemalloc" ] || allocator_env=(--env "LD_PRELOAD=$image_jemalloc" --env "MALLOC_CONF=$KPLANE_MALLOC_CONF")
buildah config \
  "${allocator_env[@]}" \
  --user "$image_uid:$image_uid" \
  --workingdir "$image_app" \
  --env NODE_ENV=production \
  --entrypoint "$image_entrypoint" \
  --cmd "$image_cmd" \
  --port 6443/tcp \
  --volume "$image_state" \
  --label "org.opencontainers.image.title=kplane" \
  --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.description=kplane and kplane-syncer (entrypoint $image_syncer_command)" \
  --label "org.opencontainers.image.licenses=Apache-2.0" \
  "$ctr"
previous=$(buildah images --quiet --noheading "$tag" 2>/dev/null || true)
buildah commit --quiet --rm "$ctr" "$tag" >/dev/null
ctr=
# A rebuild moves the tag; drop the image it left untagged (still in use elsewhere: kept).
for id in $previous; do
  [ -n "$(buildah images --quiet --noheading --filter dangling=true | grep -Fx "$id")" ] && buildah rmi "$id" >/dev/null 2>&1 || true
done

mkdir -p "$(dirname "$output")"
rm -f "$output"
# The reference inside the archive is what `podman load` / `docker load` tag the image as.
skopeo copy --quiet "containers-storage:$tag" "oci-archive:$output:$tag"

uncompressed=$(du -sb "$rootfs" | cut -f1)
compressed=$(stat -c %s "$output")
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "image:        $tag"
echo "archive:      $output"
echo "uncompressed: $(mib "$uncompressed") ($uncompressed bytes: node $(mib "$(stat -c %s "$rootfs/usr/local/bin/node")"), node_modules $(mib "$(du -sb "$rootfs$image_app/node_modules" | cut -f1)"))"
echo "compressed:   $(mib "$compressed") ($compressed bytes, the oci-archive)"
if [ -n "$jemalloc" ]; then echo "allocator:    jemalloc (from $jemalloc)"; else echo "allocator:    the system malloc (no libjemalloc2 on this machine)"; fi
