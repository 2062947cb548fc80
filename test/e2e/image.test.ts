// kplane's container image, built offline by hack/image/build.sh and run with
// `buildah run --isolation chroot` (host network):
//  (a) `kplane start` from the image answers /readyz and writes its state as the non-root user;
//  (b) the syncer from the image, started with exactly the command and args of the Deployment
//      `kplane workload sync --syncer-image <image>` renders, turns its SyncTarget Ready in a
//      kplane on the host;
//  (c) the archive carries a non-root user, the kplane entrypoint, and no shell.
// Skips only when buildah/skopeo are missing or cannot create a container on this machine.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { startKplane, systemJemalloc } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { IMAGE_APP_DIR, IMAGE_KPLANE_COMMAND, IMAGE_ROOT_DIR, IMAGE_UID } from '../../pkg/syncer/manifests/image.ts';
import { KUBECONFIG_KEY, KUBECONFIG_MOUNT_DIR } from '../../pkg/syncer/manifests/render.ts';
import { IMAGE_DEFAULT_ARGS } from '../../hack/image/layout.ts';
import { buildTestImage, type Built, containerToolsProblem, execInImage, freePort, inspectConfig, runInImage } from './image-support.ts';
import { IMAGE_JEMALLOC } from '../../hack/image/layout.ts';
import { createWorkspace, SLOW } from './support.ts';
import { kubeconfigForWorkspace, kubeconfigFromManifests, type Manifest, parseManifests, runKplane } from './syncer-support.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON
type Obj = any;

/** A host directory the image's user may write (mkdtemp makes 0700 root-owned ones). */
function dirForImageUser(prefix: string, writable: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (!writable) chmodSync(dir, 0o755);
  else if (process.getuid?.() === 0) chownSync(dir, IMAGE_UID, IMAGE_UID);
  else chmodSync(dir, 0o777); // rootless buildah maps the image's user to a subordinate uid
  return dir;
}

test('container image', { timeout: 900_000 }, async (t) => {
  const problem = await containerToolsProblem();
  if (problem) {
    t.skip(`container image tests skipped: ${problem}`);
    return;
  }
  const started = Date.now();
  const image: Built = await buildTestImage();
  t.diagnostic(image.buildOutput ? `built ${image.tag} in ${Math.round((Date.now() - started) / 1000)}s:\n${image.buildOutput}` : `reused cached ${image.tag}`);

  await t.test('(c) the archive: non-root user, kplane entrypoint, default args, no shell', async () => {
    const { config } = await inspectConfig(image.archive);
    assert.equal(config.User, `${IMAGE_UID}:${IMAGE_UID}`);
    assert.notEqual(Number(config.User?.split(':')[0]), 0, 'not root');
    assert.deepEqual(config.Entrypoint, IMAGE_KPLANE_COMMAND);
    assert.deepEqual(config.Cmd, IMAGE_DEFAULT_ARGS);
    assert.equal(config.WorkingDir, IMAGE_APP_DIR);
    // `id` does not exist either; the process's own view of its uid does.
    const who = await execInImage(image.tag, [IMAGE_KPLANE_COMMAND[0]!, '-e', 'process.stdout.write(String(process.getuid()))']);
    assert.equal(who.code, 0, who.output);
    assert.match(who.output, new RegExp(`${IMAGE_UID}$`));
    const shell = await execInImage(image.tag, ['/bin/sh', '-c', 'true']);
    assert.notEqual(shell.code, 0, 'the image has no shell');
    // jemalloc when the build machine has it (hack/image/build.sh), preloaded by the image's
    // environment and really mapped into Node; the system malloc otherwise.
    const preload = config.Env?.find((e) => e.startsWith('LD_PRELOAD='));
    const maps = await execInImage(image.tag, [IMAGE_KPLANE_COMMAND[0]!, '-e', `process.stdout.write(require('fs').readFileSync('/proc/self/maps', 'utf8').includes('${IMAGE_JEMALLOC}') ? 'jemalloc' : 'system')`]);
    assert.equal(maps.code, 0, maps.output);
    if (systemJemalloc()) {
      assert.equal(preload, `LD_PRELOAD=${IMAGE_JEMALLOC}`);
      assert.ok(config.Env?.includes('MALLOC_CONF=background_thread:true'), String(config.Env));
      assert.match(maps.output, /jemalloc$/);
    } else {
      assert.equal(preload, undefined);
      assert.match(maps.output, /system$/);
    }
    // Production dependencies only: no dev tools in node_modules.
    const dev = await execInImage(image.tag, [IMAGE_KPLANE_COMMAND[0]!, '-e', `process.exit(require('fs').existsSync('${IMAGE_APP_DIR}/node_modules/typescript') ? 1 : 0)`]);
    assert.equal(dev.code, 0, `typescript is in the image's node_modules: ${dev.output}`);
  });

  await t.test('(a) kplane start from the image answers /readyz', async () => {
    const state = dirForImageUser('kplane-image-state-', true);
    t.after(() => rmSync(state, { recursive: true, force: true }));
    const port = await freePort();
    // The image's entrypoint and default args, with a loopback address and a free port.
    await using server = await runInImage(image.tag, [...IMAGE_KPLANE_COMMAND, 'start', `--root-dir=${IMAGE_ROOT_DIR}`, '--bind-address=127.0.0.1', `--secure-port=${port}`], [`${state}:${IMAGE_ROOT_DIR}`]);
    await eventually(() => [statSync(join(state, 'ca.crt'), { throwIfNoEntry: false }) !== undefined, `no ca.crt yet; output:\n${server.output()}`], { ...SLOW, what: 'kplane in the image to write its CA' });
    const client = new TestClient(`https://127.0.0.1:${port}`, readFileSync(join(state, 'ca.crt'), 'utf8'));
    await eventually(async () => {
      if (server.child.exitCode !== null) throw new Error(`kplane in the image exited ${server.child.exitCode}:\n${server.output()}`);
      const r = await client.do('/readyz');
      return [r.status === 200 && r.text.trim() === 'ok', `${r.status} ${r.text}`];
    }, { ...SLOW, what: '/readyz from kplane in the image' });
    // Its state is written by the image's non-root user into the mounted volume.
    if (process.getuid?.() === 0) assert.equal(statSync(join(state, 'admin.kubeconfig')).uid, IMAGE_UID);
    const token = /token: (\S+)/.exec(readFileSync(join(state, 'admin.kubeconfig'), 'utf8'))?.[1];
    assert.ok(token, 'admin.kubeconfig has a token');
    const ns = await client.withToken(token).do('/clusters/root/api/v1/namespaces/default');
    assert.equal(ns.status, 200, ns.text);
  });

  await t.test('(b) the syncer from the image, as its Deployment runs it, turns its SyncTarget Ready', async () => {
    await using kp = await startKplane();
    const dir = mkdtempSync(join(tmpdir(), 'kplane-image-syncer-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const root = new Kubectl(kp.kubeconfig);
    t.after(() => rmSync(root.cacheDir, { recursive: true, force: true }));
    const team = await createWorkspace(root, kp.url, dir, 'team');

    const out = join(dir, 'edge-image.yaml');
    const r = await runKplane(['workload', 'sync', 'edge-image', '--syncer-image', image.tag, '--heartbeat-period', '1s', '-o', out], { KUBECONFIG: kubeconfigForWorkspace(kp.kubeconfig, kp.url, 'root:team', dir) });
    assert.equal(r.code, 0, r.stderr);
    const manifests = parseManifests(readFileSync(out, 'utf8'));
    const dep: Manifest | undefined = manifests.find((o) => o.kind === 'Deployment');
    assert.ok(dep, 'a Deployment');
    const pod = dep.spec.template.spec;
    const container = pod.containers[0];
    assert.equal(container.image, image.tag);
    assert.equal(pod.securityContext.runAsUser, IMAGE_UID);
    assert.ok(Array.isArray(container.command) && container.command.length > 0, 'the Deployment names the syncer entrypoint');

    // The Secret volume, as the kubelet would mount it: the image's user can read it.
    const mount = dirForImageUser('kplane-image-kubeconfig-', false);
    t.after(() => rmSync(mount, { recursive: true, force: true }));
    mkdirSync(mount, { recursive: true });
    writeFileSync(join(mount, KUBECONFIG_KEY), kubeconfigFromManifests(manifests), { mode: 0o644 });
    assert.equal(container.volumeMounts[0].mountPath, KUBECONFIG_MOUNT_DIR);

    await using syncer = await runInImage(image.tag, [...(container.command as string[]), ...(container.args as string[])], [`${mount}:${KUBECONFIG_MOUNT_DIR}:ro`]);
    const getST = async (): Promise<Obj> => (await new TestClient(kp.url, kp.caPem, kp.adminToken).do('/clusters/root:team/apis/workload.kcp.io/v1alpha1/synctargets/edge-image')).json;
    await eventually(async () => {
      if (syncer.child.exitCode !== null) throw new Error(`the syncer in the image exited ${syncer.child.exitCode}:\n${syncer.output()}`);
      const st = await getST();
      const ready = (st?.status?.conditions as { type: string; status: string }[] | undefined)?.find((c) => c.type === 'Ready');
      return [ready?.status === 'True', `${JSON.stringify(st?.status?.conditions)}\nsyncer output:\n${syncer.output()}`];
    }, { ...SLOW, what: 'the SyncTarget to turn Ready from the image\'s syncer' });
    await team.ok(['wait', '--for=condition=Ready', 'synctarget/edge-image', '--timeout=30s']);
    assert.ok((await getST()).status.lastSyncerHeartbeatTime, 'a heartbeat was recorded');
  });
});
