// examples/deploy/: every manifest is checked against what can judge it.
//  - Kinds kplane serves (Namespace, ServiceAccount, ConfigMap, Deployment, …): applied with
//    `kubectl apply --dry-run=server` to a real kplane, so its OpenAPI-backed validation and
//    defaulting accept them (and nothing is stored).
//  - Kinds kplane does not serve (StatefulSet, Service; PersistentVolumeClaim templates): no
//    server here can judge them, so this file checks how they hang together — selectors match
//    pod labels, ports and volumes are named where they are used, a Service fronts each
//    workload — and docs/deploy.md says what is not validated.
//  - Every kplane container's args, with its --config file read from the ConfigMap it mounts,
//    go through kplane's own flag loader and zod schema; images are the release image; the
//    user is the image's non-root user.
//  - The etcd variant's init container really seeds a root dir from a Secret-like volume, and
//    a kplane started on that dir keeps the CA and accepts the original admin token.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SYNCER_IMAGE, START_FLAGS, startOptionsSchema } from '../../cmd/kplane/options.ts';
import { loadConfig } from '../../pkg/options/config.ts';
import { IMAGE_NODE, IMAGE_UID } from '../../pkg/syncer/manifests/image.ts';
import { TestClient } from '../framework/http.ts';
import { REPO_ROOT, startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { type Manifest, parseManifests } from './syncer-support.ts';

const DEPLOY_DIR = join(REPO_ROOT, 'examples', 'deploy');
/** Kinds in examples/deploy that kplane does not serve; docs/deploy.md lists the same. */
const NOT_SERVED = new Set(['StatefulSet', 'Service']);

function manifestFiles(dir = DEPLOY_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? manifestFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [])).sort();
}

function docs(file: string): Manifest[] {
  return parseManifests(readFileSync(file, 'utf8')).filter((d) => d !== null && d !== undefined);
}

/** Does `labels` carry every pair of `selector`? */
function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Checks one pod template of a workload in `file` whose other objects are `all`. */
function checkPodTemplate(file: string, workload: Manifest, all: Manifest[], extraVolumes: string[]): void {
  const where = `${relative(REPO_ROOT, file)} ${workload.kind}/${workload.metadata.name}`;
  const template = workload.spec.template;
  assert.ok(selects(workload.spec.selector.matchLabels, template.metadata.labels), `${where}: selector matches the pod labels`);
  const pod = template.spec;
  assert.equal(pod.securityContext.runAsUser, IMAGE_UID, `${where}: the image's user`);
  assert.equal(pod.securityContext.runAsNonRoot, true, `${where}: runAsNonRoot`);
  assert.equal(pod.securityContext.fsGroup, IMAGE_UID, `${where}: volumes writable by the image's user`);
  const sa = all.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === pod.serviceAccountName);
  assert.ok(sa, `${where}: its ServiceAccount is in the file`);
  const volumes = new Map<string, Manifest>((pod.volumes ?? []).map((v: Manifest) => [v.name, v]));
  for (const v of volumes.values()) {
    if (v.configMap) assert.ok(all.some((o) => o.kind === 'ConfigMap' && o.metadata.name === v.configMap.name), `${where}: ConfigMap ${v.configMap.name} is in the file`);
  }
  const services = all.filter((o) => o.kind === 'Service' && selects(o.spec.selector, template.metadata.labels));
  assert.equal(services.length, 1, `${where}: one Service selects its pods`);
  for (const c of [...(pod.initContainers ?? []), ...pod.containers] as Manifest[]) {
    assert.equal(c.image, DEFAULT_SYNCER_IMAGE, `${where} ${c.name}: the release image`);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true, `${where} ${c.name}: read-only root`);
    for (const m of c.volumeMounts ?? []) assert.ok(volumes.has(m.name) || extraVolumes.includes(m.name), `${where} ${c.name}: volume ${m.name} exists`);
    const portNames = new Set((c.ports ?? []).map((p: Manifest) => p.name));
    for (const probe of [c.readinessProbe, c.livenessProbe].filter(Boolean)) assert.ok(portNames.has(probe.httpGet.port), `${where} ${c.name}: probe port ${probe.httpGet.port} is declared`);
    for (const svc of services) for (const p of svc.spec.ports) assert.ok(portNames.has(p.targetPort) || (pod.containers as Manifest[]).some((o) => (o.ports ?? []).some((q: Manifest) => q.name === p.targetPort)), `${where}: Service port ${p.targetPort} is a container port`);
    if (c.command) assert.equal(c.command[0], IMAGE_NODE, `${where} ${c.name}: the image's node`);
  }
  for (const c of pod.containers as Manifest[]) {
    // The image's entrypoint is `kplane`: args are `start` and its flags.
    assert.equal(c.command, undefined, `${where} ${c.name}: uses the image's kplane entrypoint`);
    assert.equal(c.args[0], 'start');
    const mounts = (c.volumeMounts ?? []) as Manifest[];
    // A file path inside the container → the ConfigMap key it is mounted from.
    const readFile = (path: string): string => {
      const m = mounts.find((x) => path.startsWith(`${x.mountPath}/`));
      const cm = m && volumes.get(m.name)?.configMap;
      if (!cm) throw new Error(`${path} is not in a mounted ConfigMap`);
      const data = all.find((o) => o.kind === 'ConfigMap' && o.metadata.name === cm.name)?.data?.[posix.relative(m.mountPath, path)];
      if (data === undefined) throw new Error(`${path}: no such key in ConfigMap ${cm.name}`);
      return data as string;
    };
    const env = Object.fromEntries(((c.env ?? []) as Manifest[]).map((e) => [e.name, e.value]));
    const { values } = loadConfig(START_FLAGS, startOptionsSchema, { argv: c.args.slice(1), env, readFile });
    const mounted = (path: string) => mounts.some((x) => path === x.mountPath || path.startsWith(`${x.mountPath}/`));
    assert.ok(mounted(values['root-dir']), `${where}: --root-dir ${values['root-dir']} is a volume`);
    for (const f of ['etcd-cafile', 'etcd-certfile', 'etcd-keyfile'] as const) if (values[f]) assert.ok(mounted(values[f]), `${where}: --${f} is mounted`);
    assert.equal(values['bind-address'], '0.0.0.0', `${where}: reachable through the Service`);
    assert.ok((c.ports as Manifest[]).some((p) => p.containerPort === Number(values['secure-port'])), `${where}: --secure-port is the container port`);
    assert.equal(values['syncer-image'], DEFAULT_SYNCER_IMAGE);
    if (workload.kind === 'StatefulSet') {
      assert.equal(values.storage, 'sqlite');
      assert.equal(workload.spec.replicas, 1, `${where}: SQLite has one writer`);
    } else {
      assert.equal(values.storage, 'etcd', `${where}: several replicas need etcd`);
      assert.ok(values['etcd-servers'], `${where}: --etcd-servers`);
    }
  }
}

test('examples/deploy manifests', { timeout: 300_000 }, async (t) => {
  const files = manifestFiles();
  assert.ok(files.length >= 3, `manifests found: ${files.join(', ')}`);
  await using kp = await startKplane();
  const k = new Kubectl(kp.kubeconfig);
  t.after(() => rmSync(k.cacheDir, { recursive: true, force: true }));
  const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const dir = mkdtempSync(join(tmpdir(), 'kplane-deploy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  await t.test('kinds kplane serves pass `kubectl apply --dry-run=server`', async () => {
    // Namespaced dry runs need the namespace to exist: dry-run it first, then create it.
    const nsFile = join(DEPLOY_DIR, 'namespace.yaml');
    assert.match(await k.ok(['apply', '--dry-run=server', '-f', nsFile]), /namespace\/kplane-system (created|configured) \(server dry run\)/);
    assert.equal((await admin.do('/clusters/root/api/v1/namespaces/kplane-system')).status, 404, 'a dry run stores nothing');
    await k.ok(['apply', '-f', nsFile]);
    for (const file of files) {
      const served = docs(file).filter((d) => !NOT_SERVED.has(d.kind));
      const path = join(dir, relative(DEPLOY_DIR, file).replace(/\//g, '_'));
      writeFileSync(path, served.map((d) => JSON.stringify(d)).join('\n'));
      const out = await k.ok(['apply', '--dry-run=server', '-f', path]);
      for (const d of served) {
        assert.match(out, new RegExp(`${d.kind.toLowerCase()}[^ ]*/${d.metadata.name} (created|configured|unchanged) \\(server dry run\\)`), `${relative(REPO_ROOT, file)}: ${d.kind}/${d.metadata.name}\n${out}`);
      }
    }
    assert.equal((await admin.do('/clusters/root/api/v1/namespaces/kplane-system/configmaps/kplane-config')).status, 404, 'a dry run stores nothing');
  });

  await t.test('kinds kplane does not serve are only the documented ones, and kplane says so', async () => {
    const kinds = new Set(files.flatMap((f) => docs(f).map((d) => d.kind as string)));
    const notServed = [...kinds].filter((kind) => NOT_SERVED.has(kind)).sort();
    assert.deepEqual(notServed, [...NOT_SERVED].sort());
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'deploy.md'), 'utf8');
    for (const kind of [...NOT_SERVED, 'PersistentVolumeClaim']) assert.ok(doc.includes(kind), `docs/deploy.md names ${kind} as not validated by kplane`);
    // If kplane ever serves one of them, this list (and the dry run above) should change.
    const resources = (await k.ok(['api-resources', '-o', 'name'])).split('\n').map((s) => s.trim());
    assert.ok(resources.includes('deployments.apps'), `api-resources lists what kplane serves: ${resources.join(' ')}`);
    for (const r of ['statefulsets.apps', 'services', 'persistentvolumeclaims']) assert.ok(!resources.includes(r), `kplane serves ${r} now: validate it with the dry run`);
  });

  await t.test('workloads, Services and kplane flags hang together', () => {
    for (const file of files) {
      const all = docs(file);
      for (const w of all.filter((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment')) {
        const claims = w.kind === 'StatefulSet' ? (w.spec.volumeClaimTemplates as Manifest[]).map((c) => c.metadata.name as string) : [];
        if (w.kind === 'StatefulSet') assert.ok(all.some((o) => o.kind === 'Service' && o.metadata.name === w.spec.serviceName), `${file}: serviceName names a Service`);
        checkPodTemplate(file, w, all, claims);
      }
    }
  });

  await t.test('etcd variant: the init container seeds a root dir kplane reuses', async () => {
    const dep = docs(join(DEPLOY_DIR, 'etcd', 'kplane.yaml')).find((o) => o.kind === 'Deployment')!;
    const init = (dep.spec.template.spec.initContainers as Manifest[]).find((c) => c.name === 'seed-root-dir')!;
    const mounts = new Map<string, string>((init.volumeMounts as Manifest[]).map((m) => [m.name, m.mountPath]));
    const [sharedPath, dataPath] = [mounts.get('shared')!, mounts.get('data')!];
    // The shared material, as an operator would make it: from a first kplane's root dir.
    await using first = await startKplane({ keepRootDir: true });
    const token = first.adminToken;
    await first.stop();
    // A Secret volume as the kubelet lays it out: files are symlinks into ..data/.
    const secret = join(dir, 'shared');
    mkdirSync(join(secret, '..2026_data'), { recursive: true });
    symlinkSync('..2026_data', join(secret, '..data'));
    for (const f of ['ca.crt', 'ca.key', 'sa.key', '.admin-token-store']) {
      writeFileSync(join(secret, '..2026_data', f), readFileSync(join(first.rootDir, f)));
      symlinkSync(join('..data', f), join(secret, f));
    }
    const rootDir = join(dir, 'seeded');
    mkdirSync(rootDir);
    // The init container's own script, with its two mount paths pointed at the test's dirs.
    const script = (init.command[2] as string).replaceAll(sharedPath, secret).replaceAll(dataPath, rootDir);
    execFileSync(process.execPath, ['-e', script]);
    assert.deepEqual(readdirSync(rootDir).sort(), ['.admin-token-store', 'ca.crt', 'ca.key', 'sa.key']);
    // The test fixture reads admin.kubeconfig once kplane is ready; in a cluster the operator
    // keeps the first run's copy instead (kplane then only warns that it cannot rewrite it).
    writeFileSync(join(rootDir, 'admin.kubeconfig'), readFileSync(first.kubeconfig));
    await using replica = await startKplane({ rootDir });
    assert.equal(replica.caPem, readFileSync(join(first.rootDir, 'ca.crt'), 'utf8'), 'the shared CA is kept');
    const r = await new TestClient(replica.url, replica.caPem, token).do('/clusters/root/api/v1/namespaces/default');
    assert.equal(r.status, 200, `the original admin token works on the seeded replica: ${r.text}`);
    rmSync(first.rootDir, { recursive: true, force: true });
  });
});
