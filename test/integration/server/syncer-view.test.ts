// The syncer view against a real kplane and a real syncer identity: the SyncTarget reconciler
// makes the ServiceAccount and its token (as for a deployed syncer), the test labels objects
// `state.workload.kcp.io/<key>` as the scheduling controllers would, and then checks what the
// syncer's token can and cannot reach — through the view (pkg/client with pathPrefix, as the
// syncer will use it) and around it (plain /clusters/<ws>).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { syncerViewPath } from '../../../apis/workload/v1alpha1/sync-contract.ts';
import { stateLabelKey, toSyncTargetKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import { ClusterClient } from '../../../pkg/client/clusterclient.ts';
import { isNotFound } from '../../../pkg/client/errors.ts';
import { ConfigMapGVR, DeploymentGVR, NamespaceGVR, SecretGVR } from '../../../pkg/client/gvr.ts';
import type { KubeObject, WatchEvent } from '../../../pkg/client/object.ts';
import { eventually } from '../../framework/eventually.ts';
import { TestClient } from '../../framework/http.ts';
import { type Kplane, startKplane } from '../../framework/kplane.ts';
import { Kubectl } from '../../framework/kubectl.ts';

const SLOW = { timeoutMs: 90_000, intervalMs: 200 };
const ALICE = 'alice-syncview-0123456789';
const RBAC = 'rbac.authorization.k8s.io';
const WS = 'root:ws-a';
const K1 = toSyncTargetKey(WS, 'edge-1');
const K2 = toSyncTargetKey(WS, 'edge-2');
const L1 = stateLabelKey(K1);
const L2 = stateLabelKey(K2);

interface Target {
  name: string;
  uid: string;
  token: string;
  view: string;
}

async function must(p: Promise<{ status: number; text: string; json: unknown }>, want: number, what: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  const r = await p;
  assert.equal(r.status, want, `${what}: ${r.text.slice(0, 400)}`);
  return r.json;
}

function ns(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}
function cm(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { k: 'v' } };
}
function deployment(name: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

/** A ClusterClient with `token` whose every request goes under `prefix`. */
function clientFor(kp: Kplane, token: string, prefix: string): ClusterClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'k', server: kp.url, caData: Buffer.from(kp.caPem).toString('base64') }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'c', cluster: 'k', user: 'u' }],
    currentContext: 'c',
  });
  return new ClusterClient(kc, { component: 'syncer-view-test', pathPrefix: prefix, timeoutMs: 60_000 });
}

describe('syncer view', () => {
  let kp: Kplane;
  let dir: string;
  let admin: TestClient;
  let alice: TestClient;
  const targets: Record<string, Target> = {};
  let edge1: ClusterClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kplane-syncview-'));
    const tokenFile = join(dir, 'tokens.csv');
    writeFileSync(tokenFile, `${ALICE},alice,uid-alice,"tenant-a"\n`, { mode: 0o600 });
    // Only the SyncTarget controller: it makes the syncer identities; no scheduler rewrites the labels set here.
    kp = await startKplane({ args: ['--token-auth-file', tokenFile, '--controllers', 'kplane-synctarget'] });
    admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
    alice = admin.withToken(ALICE);
    for (const ws of ['ws-a', 'ws-b']) {
      await must(admin.post('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: ws } }), 201, `create ${ws}`);
    }
    for (const ws of ['ws-a', 'ws-b']) {
      await eventually(async () => {
        const r = await admin.get(`/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/${ws}`);
        return [r.json?.status?.phase === 'Ready', `phase ${r.json?.status?.phase}`];
      }, { ...SLOW, what: `${ws} Ready` });
    }
    await must(admin.post(`/clusters/${WS}/apis/${RBAC}/v1/clusterrolebindings`, {
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'alice-admin' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'User', apiGroup: RBAC, name: 'alice' }],
    }), 201, 'bind alice');

    // Three SyncTargets; the reconciler makes each syncer's ServiceAccount, and each syncer's token
    // comes from TokenRequest, as `kplane workload sync` mints it for a syncer deployed by hand.
    for (const name of ['edge-1', 'edge-2', 'edge-3']) {
      await must(admin.post(`/clusters/${WS}/apis/workload.kcp.io/v1alpha1/synctargets`, { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name }, spec: { cluster: `pc-${name}`, cells: { region: 'eu-west' } } }), 201, `create ${name}`);
    }
    for (const name of ['edge-1', 'edge-2', 'edge-3']) {
      let st: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the SyncTarget as JSON
      await eventually(async () => {
        st = (await admin.get(`/clusters/${WS}/apis/workload.kcp.io/v1alpha1/synctargets/${name}`)).json;
        return [Boolean(st?.status?.syncerIdentity?.serviceAccount), `syncerIdentity ${JSON.stringify(st?.status?.syncerIdentity)}`];
      }, { ...SLOW, what: `${name} syncer identity` });
      const id = st.status.syncerIdentity;
      const tr = await must(admin.post(`/clusters/${WS}/api/v1/namespaces/${id.namespace}/serviceaccounts/${id.serviceAccount}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }), 201, 'token request');
      const token: string = tr.status.token;
      // The SyncTarget records its view's URL (kcp's status.virtualWorkspaces[].syncerURL).
      assert.equal(st.status.virtualWorkspaces?.[0]?.syncerURL, `${kp.url}${syncerViewPath(WS, name, st.metadata.uid)}`);
      targets[name] = { name, uid: st.metadata.uid, token, view: syncerViewPath(WS, name, st.metadata.uid) };
    }
    edge1 = clientFor(kp, targets['edge-1']!.token, targets['edge-1']!.view);

    // Placed for edge-1: namespace web in ws-a and, placed from another workspace, in ws-b.
    for (const ws of [WS, 'root:ws-b']) {
      await must(admin.post(`/clusters/${ws}/api/v1/namespaces`, ns('web', { [L1]: 'Sync' })), 201, `ns web in ${ws}`);
      await must(admin.post(`/clusters/${ws}/api/v1/namespaces/web/configmaps`, cm('placed', { [L1]: 'Sync', app: 'web' })), 201, `cm placed in ${ws}`);
    }
    await must(admin.post(`/clusters/${WS}/api/v1/namespaces`, ns('other', { [L2]: 'Sync' })), 201, 'ns other');
    await must(admin.post(`/clusters/${WS}/api/v1/namespaces/web/configmaps`, cm('not-placed', { app: 'web' })), 201, 'cm not-placed');
    await must(admin.post(`/clusters/${WS}/api/v1/namespaces/web/configmaps`, cm('edge-2-only', { [L2]: 'Sync' })), 201, 'cm edge-2-only');
    await must(admin.post(`/clusters/${WS}/api/v1/namespaces/web/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'unlabelled' }, stringData: { password: 'hunter2' } }), 201, 'secret');
    await must(admin.post(`/clusters/${WS}/apis/apps/v1/namespaces/web/deployments`, deployment('web', { [L1]: 'Sync' })), 201, 'deployment');
  });

  after(async () => {
    edge1?.close();
    await kp?.[Symbol.asyncDispose]();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('list and get see exactly the objects labelled for the SyncTarget, across workspaces with /clusters/*', async () => {
    const all = await edge1.wildcard().resource(ConfigMapGVR).list();
    const seen = all.items.map((o) => `${o.metadata.annotations?.['kcp.io/cluster']}/${o.metadata.namespace}/${o.metadata.name}`).sort();
    assert.deepEqual(seen, [`${WS}/web/placed`, 'root:ws-b/web/placed']);
    // The client's own selector is ANDed with the view's requirement, never replaces it.
    assert.equal((await edge1.wildcard().resource(ConfigMapGVR).list({ labelSelector: 'app=web' })).items.length, 2);
    assert.equal((await edge1.wildcard().resource(ConfigMapGVR).list({ labelSelector: `!${L1}` })).items.length, 0);
    // Paged: the view's filter does not lose or repeat items across pages.
    const paged = await edge1.wildcard().resource(ConfigMapGVR).listAll({}, 1);
    assert.deepEqual(paged.items.map((o) => o.metadata.name).sort(), ['placed', 'placed']);
    const nss = await edge1.cluster(WS).resource(NamespaceGVR).list();
    assert.deepEqual(nss.items.map((o) => o.metadata.name), ['web']);

    assert.equal((await edge1.cluster(WS).resource(ConfigMapGVR, 'web').get('placed')).data !== undefined, true);
    for (const name of ['not-placed', 'edge-2-only']) {
      await assert.rejects(edge1.cluster(WS).resource(ConfigMapGVR, 'web').get(name), isNotFound, name);
    }
  });

  test('the syncer token cannot read an unlabelled Secret: not through the view, not around it', async () => {
    const t = targets['edge-1']!;
    await assert.rejects(edge1.cluster(WS).resource(SecretGVR, 'web').get('unlabelled'), isNotFound);
    assert.deepEqual((await edge1.wildcard().resource(SecretGVR).list()).items, []);
    const syncer = admin.withToken(t.token);
    await must(syncer.get(`/clusters/${WS}/api/v1/namespaces/web/secrets/unlabelled`), 403, 'direct get');
    await must(syncer.get(`/clusters/${WS}/api/v1/secrets`), 403, 'direct list');
    await must(syncer.get(`/clusters/${WS}/api/v1/namespaces/web/configmaps/placed`), 403, 'no new RBAC in the workspace either');
  });

  test('patch and status writes of placed objects; the label is never added to an unlabelled object', async () => {
    const cms = edge1.cluster(WS).resource(ConfigMapGVR, 'web');
    const patched = await cms.patch('placed', 'merge', { metadata: { annotations: { 'synced-by': 'edge-1' }, finalizers: [`workload.kcp.io/syncer-${K1}`] } });
    assert.equal(patched.metadata.annotations?.['synced-by'], 'edge-1');
    await cms.patch('placed', 'merge', { metadata: { finalizers: null } });

    const deps = edge1.cluster(WS).resource(DeploymentGVR, 'web');
    const dep = await deps.get('web');
    const withStatus = await deps.updateStatus({ ...dep, status: { replicas: 2, readyReplicas: 2, observedGeneration: 1 } });
    assert.equal((withStatus.status as { readyReplicas?: number }).readyReplicas, 2);
    const patchedStatus = await deps.patchStatus('web', 'merge', { status: { availableReplicas: 2 } });
    assert.equal((patchedStatus.status as { availableReplicas?: number }).availableReplicas, 2);

    const t = targets['edge-1']!;
    const raw = admin.withToken(t.token);
    const secretPath = `${t.view}/clusters/${WS}/api/v1/namespaces/web/secrets/unlabelled`;
    await must(raw.patch(secretPath, { metadata: { labels: { [L1]: 'Sync' } } }, 'application/merge-patch+json'), 404, 'label an unlabelled secret');
    await must(raw.put(secretPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'unlabelled', namespace: 'web', labels: { [L1]: 'Sync' } } }), 404, 'PUT it labelled');
    await must(raw.patch(`${t.view}/clusters/${WS}/api/v1/namespaces/web/configmaps/new?fieldManager=x`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new', labels: { [L1]: 'Sync' } } }, 'application/apply-patch+yaml'), 404, 'apply-create');
    const stored = await must(admin.get(`/clusters/${WS}/api/v1/namespaces/web/secrets/unlabelled`), 200, 'secret as admin');
    assert.equal(stored.metadata.labels?.[L1], undefined);
    await must(admin.get(`/clusters/${WS}/api/v1/namespaces/web/configmaps/new`), 404, 'nothing was created');

    // Other SyncTargets' keys stay out of reach; namespaces change only in metadata.
    await must(raw.patch(`${t.view}/clusters/${WS}/api/v1/namespaces/web/configmaps/placed`, { metadata: { labels: { [L2]: 'Sync' } } }, 'application/merge-patch+json'), 403, 'push onto edge-2');
    await must(raw.patch(`${t.view}/clusters/${WS}/api/v1/namespaces/web`, { spec: { finalizers: [] } }, 'application/merge-patch+json'), 403, 'namespace spec');
    const nsPatched = await must(raw.patch(`${t.view}/clusters/${WS}/api/v1/namespaces/web`, { metadata: { annotations: { seen: 'yes' } } }, 'application/merge-patch+json'), 200, 'namespace metadata');
    assert.equal(nsPatched.metadata.annotations.seen, 'yes');
  });

  test('create and delete are 405; other subresources 404', async () => {
    const t = targets['edge-1']!;
    const raw = admin.withToken(t.token);
    const base = `${t.view}/clusters/${WS}`;
    const created = await must(raw.post(`${base}/api/v1/namespaces/web/configmaps`, cm('x', { [L1]: 'Sync' })), 405, 'create');
    assert.equal(created.kind, 'Status');
    assert.equal(created.reason, 'MethodNotAllowed');
    await must(raw.delete(`${base}/api/v1/namespaces/web/configmaps/placed`), 405, 'delete');
    await must(raw.delete(`${base}/api/v1/namespaces/web/configmaps`), 405, 'deletecollection');
    await must(raw.get(`${base}/apis/apps/v1/namespaces/web/deployments/web/scale`), 404, 'scale');
    await must(admin.get(`/clusters/${WS}/api/v1/namespaces/web/configmaps/placed`), 200, 'still there');
  });

  test('who may use the view: the syncer and system:masters; others 403; unknown SyncTarget or uid 404', async () => {
    const t1 = targets['edge-1']!;
    const t2 = targets['edge-2']!;
    const path = (t: { view: string }) => `${t.view}/clusters/${WS}/api/v1/namespaces/web/configmaps/placed`;
    await must(admin.withToken(t1.token).get(path(t1)), 200, 'own view');
    await must(admin.get(path(t1)), 200, 'system:masters');
    await must(admin.withToken(t2.token).get(path(t1)), 403, 'another SyncTarget\'s syncer');
    await must(alice.get(path(t1)), 403, 'tenant admin of the workspace');
    await must(admin.withToken(t1.token).get(path(t2)), 403, 'another SyncTarget\'s view');
    await must(admin.withToken(t1.token).get(path({ view: syncerViewPath(WS, 'edge-1', t2.uid) })), 404, 'a uid of another SyncTarget');
    await must(admin.withToken(t1.token).get(path({ view: syncerViewPath(WS, 'nope', t1.uid) })), 404, 'unknown SyncTarget');
    await must(admin.get(path({ view: syncerViewPath(WS, 'edge-1', 'not-the-uid') })), 404, 'masters, wrong uid');
    await must(admin.get(path(t1), { token: null }), 401, 'anonymous');
    for (const p of ['/services/syncer/', `/services/syncer/${WS}/edge-1`, `/services/syncer/${WS}/edge-1/${t1.uid}/healthz`, `/services/syncer/${WS}/EDGE/${t1.uid}/clusters/${WS}/api/v1/configmaps`, `/services/syncer/${WS}/edge-1/%zz/clusters/${WS}/api/v1/configmaps`]) {
      await must(admin.withToken(t1.token).get(p), 404, `malformed ${p}`);
    }
    await must(admin.withToken(t1.token).get(`${t1.view}/clusters/bad_ws/api/v1/configmaps`), 400, 'bad workspace path under the view');
  });

  test('/clusters/* over workspaces with nothing placed is an empty list; discovery works under the view', async () => {
    const t3 = targets['edge-3']!;
    const edge3 = clientFor(kp, t3.token, t3.view);
    try {
      assert.deepEqual((await edge3.wildcard().resource(ConfigMapGVR).list()).items, []);
      assert.deepEqual((await edge3.wildcard().resource(NamespaceGVR).list()).items, []);
      // A workspace that does not exist looks like one with nothing placed: the view is no
      // oracle for which workspaces exist.
      assert.deepEqual((await edge3.cluster('root:does-not-exist').resource(ConfigMapGVR).list()).items, []);
      assert.deepEqual((await edge3.cluster('root:ws-b').resource(ConfigMapGVR).list()).items, []);
      await assert.rejects(edge3.cluster('root:does-not-exist').resource(ConfigMapGVR, 'web').get('placed'), isNotFound);
      await assert.rejects(edge3.cluster('root:does-not-exist').resource(ConfigMapGVR, 'web').patch('placed', 'merge', {}), isNotFound);
    } finally {
      edge3.close();
    }
    const raw = admin.withToken(t3.token);
    const groups = await must(raw.get(`${t3.view}/clusters/*/apis`), 200, 'apis');
    assert.ok(groups.groups.some((g: { name: string }) => g.name === 'apps'));
    const core = await must(raw.get(`${t3.view}/clusters/${WS}/api/v1`), 200, 'api/v1');
    const configmaps = core.resources.find((r: { name: string }) => r.name === 'configmaps');
    assert.deepEqual([...configmaps.verbs].sort(), ['get', 'list', 'patch', 'update', 'watch'], 'discovery offers what the view serves');
    await must(raw.get(`${t3.view}/api`), 200, 'api at the view root');
  });

  test('kubectl works through the view with the syncer token: discovery, get, label; delete refused', async () => {
    const t = targets['edge-1']!;
    const k = new Kubectl(kp.kubeconfig, [`--server=${kp.url}${t.view}/clusters/root:ws-b`, `--token=${t.token}`]);
    try {
      assert.equal((await k.ok(['get', 'configmaps', '-n', 'web', '-o', 'name'])).trim(), 'configmap/placed');
      assert.equal((await k.ok(['get', 'namespaces', '-o', 'name'])).trim(), 'namespace/web');
      const secrets = await k.run(['get', 'secrets', '-n', 'web']);
      assert.equal(secrets.code, 0, secrets.stderr);
      assert.match(secrets.stderr, /No resources found/);
      await k.ok(['label', 'configmap', 'placed', '-n', 'web', 'synced=yes']);
      const del = await k.run(['delete', 'configmap', 'placed', '-n', 'web']);
      assert.notEqual(del.code, 0);
      assert.match(del.stderr, /MethodNotAllowed|not allowed|does not delete/);
      // The README's form: every workspace at once.
      const all = new Kubectl(kp.kubeconfig, [`--server=${kp.url}${t.view}/clusters/*`, `--token=${t.token}`]);
      try {
        const rows = (await all.ok(['get', 'configmaps', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.annotations.kcp\\.io/cluster}/{.metadata.name}{"\\n"}{end}'])).trim().split('\n').sort();
        assert.deepEqual(rows, [`${WS}/placed`, 'root:ws-b/placed']);
      } finally {
        rmSync(all.cacheDir, { recursive: true, force: true });
      }
      const resources = await k.ok(['api-resources', '--api-group=apps', '-o', 'wide']);
      assert.match(resources, /deployments/);
      assert.doesNotMatch(resources.split('\n').find((l) => l.startsWith('deployments')) ?? '', /create|delete/);
    } finally {
      rmSync(k.cacheDir, { recursive: true, force: true });
    }
    await must(admin.get('/clusters/root:ws-b/api/v1/namespaces/web/configmaps/placed'), 200, 'not deleted');
  });

  test('watch: an object losing the label is DELETED, one gaining it ADDED; other objects never show', async () => {
    const list = await edge1.wildcard().resource(ConfigMapGVR).list();
    const ac = new AbortController();
    const events: WatchEvent[] = [];
    const watching = (async () => {
      try {
        for await (const ev of edge1.wildcard().resource(ConfigMapGVR).watch({ resourceVersion: list.metadata.resourceVersion, signal: ac.signal })) events.push(ev);
      } catch (err) {
        if (!ac.signal.aborted) throw err;
      }
    })();
    try {
      const cmPath = (name: string) => `/clusters/${WS}/api/v1/namespaces/web/configmaps/${name}`;
      await must(admin.patch(cmPath('not-placed'), { data: { k: 'changed' } }, 'application/merge-patch+json'), 200, 'change an unplaced cm');
      await must(admin.patch(cmPath('not-placed'), { metadata: { labels: { [L1]: 'Sync' } } }, 'application/merge-patch+json'), 200, 'place it');
      await must(admin.patch(cmPath('placed'), { metadata: { labels: { [L1]: null } } }, 'application/merge-patch+json'), 200, 'unplace placed');
      await eventually(() => [events.length >= 2, `events ${JSON.stringify(events.map((e) => [e.type, e.object.metadata.name]))}`], { ...SLOW, what: 'watch events' });
      assert.deepEqual(events.slice(0, 2).map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'not-placed'], ['DELETED', 'placed']]);
      // The last state through the view: placed is gone (404), not-placed is readable.
      await assert.rejects(edge1.cluster(WS).resource(ConfigMapGVR, 'web').get('placed'), isNotFound);
      assert.equal((await edge1.cluster(WS).resource(ConfigMapGVR, 'web').get('not-placed')).metadata.name, 'not-placed');
    } finally {
      ac.abort();
      await watching;
    }
    assert.ok(events.every((e) => e.object.metadata.name !== 'edge-2-only'));
  });

  test('the syncer may drop its own label; afterwards the object is outside the view', async () => {
    const cms = edge1.cluster(WS).resource(ConfigMapGVR, 'web');
    await cms.patch('not-placed', 'merge', { metadata: { labels: { [L1]: null } } });
    await assert.rejects(cms.get('not-placed'), isNotFound);
    await assert.rejects(cms.patch('not-placed', 'merge', { metadata: { labels: { [L1]: 'Sync' } } }), isNotFound);
  });
});
