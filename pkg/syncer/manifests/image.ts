// The layout of kplane's container image (hack/image/build.sh builds it offline; Containerfile
// builds the same from an official Node image). The syncer Deployment names the syncer's
// entrypoint explicitly, because one image carries both binaries and its default entrypoint is
// `kplane`. hack/image/layout.test.ts checks that both build paths agree with these values.

/** Where the Node binary lives in the image. */
export const IMAGE_NODE = '/usr/local/bin/node';
/** Where apis/, pkg/, cmd/ (compiled to JavaScript), package.json and the production node_modules live. */
export const IMAGE_APP_DIR = '/app';
/** Numeric non-root user and group the image runs as (distroless' "nonroot"). */
export const IMAGE_UID = 65532;
/** The image's default entrypoint: `kplane` (add `start …`). */
export const IMAGE_KPLANE_COMMAND: readonly string[] = [IMAGE_NODE, `${IMAGE_APP_DIR}/cmd/kplane/main.js`];
/** The syncer's entrypoint in the same image (a Deployment's `command`). */
export const IMAGE_SYNCER_COMMAND: readonly string[] = [IMAGE_NODE, `${IMAGE_APP_DIR}/cmd/kplane-syncer/main.js`];
/** Default --root-dir inside the image, owned by IMAGE_UID (mount a volume here). */
export const IMAGE_ROOT_DIR = '/var/lib/kplane';
