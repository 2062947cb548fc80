// Prints the image layout of pkg/syncer/manifests/image.ts as shell assignments, so that
// hack/image/build.sh configures the image from the same values the syncer Deployment uses:
//   eval "$(node hack/image/layout.ts)"
import { IMAGE_APP_DIR, IMAGE_KPLANE_COMMAND, IMAGE_NODE, IMAGE_ROOT_DIR, IMAGE_SYNCER_COMMAND, IMAGE_UID } from '../../pkg/syncer/manifests/image.ts';

/**
 * Where the image carries jemalloc (when the build had it: always from the Containerfile, from
 * the host for the offline build), named by the image's LD_PRELOAD: one path whatever the
 * architecture. Why kplane runs on it: hack/bin/launch.sh.
 */
export const IMAGE_JEMALLOC = '/usr/local/lib/libjemalloc.so.2';

/** The OCI config's default arguments: serve on all interfaces from the state volume. */
export const IMAGE_DEFAULT_ARGS: readonly string[] = ['start', `--root-dir=${IMAGE_ROOT_DIR}`, '--bind-address=0.0.0.0'];

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function layoutAssignments(): string {
  const vars: Record<string, string> = {
    image_uid: String(IMAGE_UID),
    image_node: IMAGE_NODE,
    image_app: IMAGE_APP_DIR,
    image_state: IMAGE_ROOT_DIR,
    image_entrypoint: JSON.stringify(IMAGE_KPLANE_COMMAND),
    image_cmd: JSON.stringify(IMAGE_DEFAULT_ARGS),
    image_syncer_command: IMAGE_SYNCER_COMMAND.join(' '),
    image_jemalloc: IMAGE_JEMALLOC,
  };
  return Object.entries(vars).map(([k, v]) => `${k}=${quote(v)}`).join('\n') + '\n';
}

if (import.meta.main) process.stdout.write(layoutAssignments());
