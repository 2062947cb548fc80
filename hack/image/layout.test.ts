// The three places that describe the image agree with pkg/syncer/manifests/image.ts (what the
// syncer Deployment runs): the offline build (via layout.ts), rootfs.sh and the Containerfile.
// The e2e test (test/e2e/image.test.ts) checks the built image itself.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { IMAGE_APP_DIR, IMAGE_KPLANE_COMMAND, IMAGE_NODE, IMAGE_ROOT_DIR, IMAGE_SYNCER_COMMAND, IMAGE_UID } from '../../pkg/syncer/manifests/image.ts';
import { IMAGE_DEFAULT_ARGS, IMAGE_JEMALLOC, layoutAssignments } from './layout.ts';

const here = import.meta.dirname;
const containerfile = readFileSync(join(here, '..', '..', 'Containerfile'), 'utf8');
const rootfs = readFileSync(join(here, 'rootfs.sh'), 'utf8');
/** The jemalloc settings the launcher uses (hack/bin/jemalloc.sh). */
const launcherMallocConf = execFileSync('sh', ['-c', `. '${join(here, '..', 'bin', 'jemalloc.sh')}' && printf %s "$KPLANE_MALLOC_CONF"`], { encoding: 'utf8' });

/** The JSON-array argument of a Containerfile instruction (exec form). */
function execForm(instruction: string): unknown {
  const line = containerfile.split('\n').find((l) => l.startsWith(`${instruction} `));
  assert.ok(line, `Containerfile has ${instruction}`);
  return JSON.parse(line.slice(instruction.length + 1));
}

test('the syncer entrypoint sits beside kplane\'s in the app directory', () => {
  assert.equal(IMAGE_SYNCER_COMMAND[0], IMAGE_NODE);
  assert.equal(IMAGE_KPLANE_COMMAND[0], IMAGE_NODE);
  assert.equal(IMAGE_SYNCER_COMMAND[1], `${IMAGE_APP_DIR}/cmd/kplane-syncer/main.js`);
  assert.notEqual(IMAGE_UID, 0);
});

test('Containerfile: same entrypoint, default args, user, workdir and volume', () => {
  assert.deepEqual(execForm('ENTRYPOINT'), IMAGE_KPLANE_COMMAND);
  assert.deepEqual(execForm('CMD'), IMAGE_DEFAULT_ARGS);
  assert.match(containerfile, new RegExp(`^USER ${IMAGE_UID}:${IMAGE_UID}$`, 'm'));
  assert.match(containerfile, new RegExp(`^WORKDIR ${IMAGE_APP_DIR}$`, 'm'));
  assert.match(containerfile, new RegExp(`^VOLUME ${IMAGE_ROOT_DIR}$`, 'm'));
  assert.match(containerfile, new RegExp(`--chown=${IMAGE_UID}:${IMAGE_UID} /state/ ${IMAGE_ROOT_DIR}/`));
  // Its base image keeps Node where the entrypoint expects it; rootfs.sh is given that path.
  assert.match(containerfile, new RegExp(`rootfs\\.sh ${IMAGE_NODE} `));
  assert.match(containerfile, /^FROM scratch$/m);
});

test('Containerfile: jemalloc where rootfs.sh puts it, preloaded with the launcher\'s settings', () => {
  assert.match(containerfile, /apt-get install -y --no-install-recommends libjemalloc2/);
  const env = containerfile.split('\n').find((l) => l.startsWith('ENV '));
  assert.ok(env?.split(/\s+/).includes(`LD_PRELOAD=${IMAGE_JEMALLOC}`), env);
  assert.ok(env?.split(/\s+/).includes(`MALLOC_CONF=${launcherMallocConf}`), env);
  assert.ok(rootfs.includes(`"$out${IMAGE_JEMALLOC}"`), 'rootfs.sh copies jemalloc to IMAGE_JEMALLOC');
});

test('rootfs.sh lays out the same paths and user', () => {
  assert.match(rootfs, new RegExp(`^uid=${IMAGE_UID}$`, 'm'));
  assert.match(rootfs, new RegExp(`^app=${IMAGE_APP_DIR}$`, 'm'));
  assert.ok(rootfs.includes(`"$out${IMAGE_NODE}"`), 'rootfs.sh copies node to IMAGE_NODE');
});

test('layout.ts prints shell assignments the offline build can eval', () => {
  const out = execFileSync('bash', ['-c', `eval "$1"; printf '%s\\n' "$image_uid" "$image_entrypoint" "$image_cmd" "$image_syncer_command"`, '_', layoutAssignments()], { encoding: 'utf8' });
  assert.deepEqual(out.trimEnd().split('\n'), [String(IMAGE_UID), JSON.stringify(IMAGE_KPLANE_COMMAND), JSON.stringify(IMAGE_DEFAULT_ARGS), IMAGE_SYNCER_COMMAND.join(' ')]);
});
