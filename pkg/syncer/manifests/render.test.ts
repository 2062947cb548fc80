import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { parseFlags } from '../../options/flags.ts';
import { SYNCER_FLAGS, syncerOptionsSchema } from '../options.ts';
import { baseServerURL } from './kubeconfig.ts';
import { syncerResourceName, uidHash8 } from './names.ts';
import { DEFAULT_SYNCED_RESOURCES, KUBECONFIG_MOUNT_DIR, RenderError, renderSyncerManifests, toMultiDocYAML } from './render.ts';
import type { KubeObject } from '../../client/object.ts';

const input = {
  syncTarget: { metadata: { name: 'edge-1', uid: '6c1b0a8e-0000-4000-8000-000000000001' } },
  workspace: 'root:org:team',
  kplaneURL: 'https://kplane.example.com:6443/clusters/root:org:team',
  caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  token: 'tok-123',
  image: 'ghcr.io/kplane/syncer:v0.1.0',
  heartbeatPeriod: '10s',
};

describe('names', () => {
  test('kplane-syncer-<name>-<first 8 hex of sha256(uid)>', () => {
    const hash = createHash('sha256').update(input.syncTarget.metadata.uid).digest('hex').slice(0, 8);
    assert.equal(uidHash8(input.syncTarget.metadata.uid), hash);
    assert.equal(syncerResourceName('edge-1', input.syncTarget.metadata.uid), `kplane-syncer-edge-1-${hash}`);
  });
  test('long names are shortened to a DNS label, keeping the hash', () => {
    const n = syncerResourceName('a'.repeat(60) + '-b', 'u');
    assert.ok(n.length <= 63, n);
    assert.match(n, /^kplane-syncer-a+-[0-9a-f]{8}$/);
  });
});

describe('renderSyncerManifests', () => {
  const objs = renderSyncerManifests(input);
  const id = syncerResourceName('edge-1', input.syncTarget.metadata.uid);

  test('dependency order and names', () => {
    assert.deepEqual(objs.map((o) => o.kind), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Secret', 'Deployment']);
    for (const o of objs) {
      assert.equal(o.metadata.name, id);
      assert.equal(o.metadata.labels?.['app.kubernetes.io/managed-by'], 'kplane');
    }
    for (const o of objs.filter((o) => ['ServiceAccount', 'Secret', 'Deployment'].includes(o.kind!))) assert.equal(o.metadata.namespace, id);
  });

  test('the Secret holds a kubeconfig for kplane without the /clusters path', () => {
    const secret = objs[4]!;
    const kc = parse(Buffer.from((secret.data as Record<string, string>).kubeconfig!, 'base64').toString()) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { token: string } }[];
    };
    assert.equal(kc.clusters[0]!.cluster.server, 'https://kplane.example.com:6443');
    assert.equal(Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString(), input.caPem);
    assert.equal(kc.users[0]!.user.token, 'tok-123');
  });

  test('the Deployment: Recreate, 1 replica, hardened, args the syncer accepts', () => {
    const spec = objs[5]!.spec as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- poking at a pod template
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.strategy, { type: 'Recreate' });
    const c = spec.template.spec.containers[0];
    assert.equal(c.image, input.image);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.equal(c.securityContext.runAsNonRoot, true);
    assert.ok(c.resources.requests.cpu && c.resources.requests.memory);
    assert.deepEqual(spec.selector.matchLabels, spec.template.metadata.labels);
    assert.equal(spec.template.spec.volumes[0].secret.secretName, id);
    // The image's syncer entrypoint (the image defaults to `kplane`), then only syncer flags.
    assert.deepEqual(c.command, ['/usr/local/bin/node', '/app/cmd/kplane-syncer/main.js']);
    assert.equal(spec.template.spec.securityContext.runAsUser, 65532);
    const { values } = parseFlags(c.args, SYNCER_FLAGS, syncerOptionsSchema);
    assert.equal(values['from-kubeconfig'], `${KUBECONFIG_MOUNT_DIR}/kubeconfig`);
    assert.equal(values['from-cluster'], 'root:org:team');
    assert.equal(values['sync-target-name'], 'edge-1');
    assert.equal(values['sync-target-uid'], input.syncTarget.metadata.uid);
    assert.equal(values['heartbeat-period'], 10_000);
  });

  test('the ClusterRoleBinding binds the ClusterRole to the ServiceAccount', () => {
    const crb = objs[3]! as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- RBAC shape
    assert.deepEqual(crb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: id });
    assert.deepEqual(crb.subjects, [{ kind: 'ServiceAccount', name: id, namespace: id }]);
  });

  test('pure: same input, same output; capacity becomes a flag', () => {
    assert.deepEqual(renderSyncerManifests(input), objs);
    const withCap = renderSyncerManifests({ ...input, capacity: { cpu: '8', memory: '32Gi' } });
    assert.ok(((withCap[5]!.spec as any).template.spec.containers[0].args as string[]).includes('--capacity=cpu=8,memory=32Gi')); // eslint-disable-line @typescript-eslint/no-explicit-any -- pod template
  });

  test('multi-document YAML round-trips in order', () => {
    const docs = parseAllDocuments(toMultiDocYAML(objs)).map((d) => d.toJS() as { kind: string });
    assert.deepEqual(docs.map((d) => d.kind), objs.map((o) => o.kind));
  });

  test('refuses a SyncTarget without uid', () => {
    assert.throws(() => renderSyncerManifests({ ...input, syncTarget: { metadata: { name: 'x' } } }), RenderError);
    assert.throws(() => renderSyncerManifests({ ...input, token: '' }), /token is required/);
  });

  test('baseServerURL', () => {
    assert.equal(baseServerURL('https://h:6443/clusters/root'), 'https://h:6443');
    assert.equal(baseServerURL('https://h:6443/'), 'https://h:6443');
    assert.equal(baseServerURL('https://h/prefix/clusters/root:a'), 'https://h/prefix');
  });
});

describe('renderSyncerIdentity', () => {
  test('SA + ClusterRole limited by resourceNames + binding', async () => {
    const { renderSyncerIdentity } = await import('./identity.ts');
    const [sa, role, binding] = renderSyncerIdentity(input.syncTarget) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- RBAC shapes
    const id = syncerResourceName('edge-1', input.syncTarget.metadata.uid);
    assert.deepEqual([sa.kind, sa.metadata.name, sa.metadata.namespace], ['ServiceAccount', id, 'default']);
    // Each rule reaches one object by name: the SyncTarget and its status.
    const rules = (r: { rules: { resources: string[]; resourceNames: string[] }[] }) => r.rules.map((x) => [x.resources.join(','), x.resourceNames.join(',')]);
    assert.deepEqual(rules(role), [['synctargets', 'edge-1'], ['synctargets/status', 'edge-1']]);
    // A SyncTarget that beats by Lease: its heartbeat Lease too (named like the identity, so it changes with the uid).
    const [, leaseRole] = renderSyncerIdentity({ ...input.syncTarget, spec: { syncer: { heartbeatLease: true } } }) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- RBAC shapes
    assert.deepEqual(rules(leaseRole), [['synctargets', 'edge-1'], ['synctargets/status', 'edge-1'], ['leases', id]]);
    assert.deepEqual(leaseRole.rules[2].verbs, ['get', 'update', 'patch']);
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: id, namespace: 'default' }]);
  });
});

test('the syncer Deployment passes --resources (default, or given) and mounts its service account token', () => {
  const base = { syncTarget: { metadata: { name: 'edge-1', uid: 'u-1' } }, workspace: 'root:org', kplaneURL: 'https://kplane:6443', caPem: 'CA', token: 'T', image: 'img' };
  const dep = (objs: KubeObject[]) => objs.find((o) => o.kind === 'Deployment') as KubeObject & { spec: { template: { spec: { automountServiceAccountToken: boolean; containers: { args: string[] }[] } } } };
  const def = dep(renderSyncerManifests(base));
  assert.ok(def.spec.template.spec.containers[0]!.args.includes(`--resources=${DEFAULT_SYNCED_RESOURCES.join(',')}`));
  assert.ok(!def.spec.template.spec.containers[0]!.args.some((a) => a.startsWith('--to-kubeconfig')), 'in-cluster config, no --to-kubeconfig');
  assert.equal(def.spec.template.spec.automountServiceAccountToken, true);
  const given = renderSyncerManifests({ ...base, resources: ['configmaps', 'widgets.example.com'] });
  assert.ok(dep(given).spec.template.spec.containers[0]!.args.includes('--resources=configmaps,widgets.example.com'));
  // The downstream ClusterRole covers exactly the synced types (plus Nodes and namespaces).
  const role = given.find((o) => o.kind === 'ClusterRole') as KubeObject & { rules: { apiGroups: string[]; resources: string[] }[] };
  assert.deepEqual(role.rules.map((r) => [r.apiGroups[0], r.resources.join(',')]), [['', 'nodes'], ['', 'namespaces'], ['', 'configmaps'], ['example.com', 'widgets']]);
});

test('uidHash8 stays sha256(uid)[0:8] past its memo bound', () => {
  for (let i = 0; i < 2500; i++) {
    const uid = `uid-${i % 1300}`;
    assert.equal(uidHash8(uid), createHash('sha256').update(uid).digest('hex').slice(0, 8));
  }
});
