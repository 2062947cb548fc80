// Deletion really removes a tenant (issue 14 item 1): a Workspace or Namespace deleted — by
// DELETE, or by removing the last finalizer after DELETE — takes its Secrets,
// ServiceAccounts and bindings with it, so a successor of the same name inherits nothing
// and the old service-account tokens stop authenticating. kubectl for the user's view,
// raw HTTP for tokens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { SLOW } from './support.ts';

const WS = (name: string, finalizers: string[] = []) =>
  JSON.stringify({ apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name, ...(finalizers.length ? { finalizers } : {}) } });

async function mintToken(http: TestClient, cluster: string, namespace: string, sa: string): Promise<string> {
  const r = await http.post(`/clusters/${cluster}/api/v1/namespaces/${namespace}/serviceaccounts/${sa}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: {},
  });
  assert.equal(r.status, 201, r.text);
  return r.json.status.token as string;
}

test('deletion completes with its cleanup, whichever request completes it', { timeout: 600_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const root = new Kubectl(kp.kubeconfig);
  const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const inWs = (ws: string) => root.forCluster(kp.url, `root:${ws}`);
  const waitReady = (ws: string) =>
    eventually(async () => {
      const r = await http.get(`/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/${ws}`);
      return [r.json?.status?.phase === 'Ready', `phase ${r.json?.status?.phase}`];
    }, { ...SLOW, what: `workspace ${ws} Ready` });
  const waitGone = (path: string) =>
    eventually(async () => {
      const r = await http.get(path);
      return [r.status === 404, `${path}: ${r.status} ${r.text.slice(0, 300)}`];
    }, { ...SLOW, what: `${path} gone` });

  await t.test('workspace un-finalized after delete: the successor sees none of the old contents, old tokens are 401', async () => {
    await root.ok(['create', '-f', '-'], { stdin: WS('y', ['x/hold']) });
    await waitReady('y');
    const y = inWs('y');
    await y.ok(['-n', 'default', 'create', 'secret', 'generic', 'old', '--from-literal=k=v']);
    await y.ok(['-n', 'default', 'create', 'serviceaccount', 'robot']);
    // A binding planted by the old owner for someone else.
    await y.ok(['create', '-f', '-'], {
      stdin: JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'planted' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mallory' }],
      }),
    });
    const token = await mintToken(http, 'root:y', 'default', 'robot');
    const asRobot = http.withToken(token);
    // Authenticated (no RBAC grants it anything): 403, not 401.
    assert.equal((await asRobot.get('/clusters/root:y/api/v1/namespaces/default/configmaps')).status, 403);

    await root.ok(['delete', 'workspace', 'y', '--wait=false']);
    await root.ok(['patch', 'workspace', 'y', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await waitGone('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/y');
    await root.ok(['create', '-f', '-'], { stdin: WS('y') });
    await waitReady('y');

    const r = await y.run(['-n', 'default', 'get', 'secret', 'old']);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /NotFound/);
    assert.match((await y.run(['-n', 'default', 'get', 'serviceaccount', 'robot'])).stderr, /NotFound/);
    assert.match((await y.run(['get', 'clusterrolebinding', 'planted'])).stderr, /NotFound/);
    // The SA check is cached for about a second: the token must turn 401 and stay so.
    await eventually(async () => {
      const s = (await asRobot.get('/clusters/root:y/api/v1/namespaces/default/configmaps')).status;
      return [s === 401, `status ${s}`];
    }, { ...SLOW, what: 'old SA token refused' });
    // A same-named SA in the successor does not revive the old token.
    await y.ok(['-n', 'default', 'create', 'serviceaccount', 'robot']);
    // Once a token of the new SA authenticates, the server checks tokens against the new SA.
    const fresh = http.withToken(await mintToken(http, 'root:y', 'default', 'robot'));
    await eventually(async () => {
      const s = (await fresh.get('/clusters/root:y/api/v1/namespaces/default/configmaps')).status;
      return [s === 403, `status ${s}`];
    }, { ...SLOW, what: 'new SA token authenticates' });
    assert.equal((await asRobot.get('/clusters/root:y/api/v1/namespaces/default/configmaps')).status, 401);
  });

  await t.test('workspace DELETE with content: nested workspaces are emptied too', async () => {
    await root.ok(['create', '-f', '-'], { stdin: WS('outer') });
    await waitReady('outer');
    await inWs('outer').ok(['create', '-f', '-'], { stdin: WS('inner') });
    await eventually(async () => {
      const r = await http.get('/clusters/root:outer/apis/tenancy.kcp.io/v1alpha1/workspaces/inner');
      return [r.json?.status?.phase === 'Ready', `phase ${r.json?.status?.phase}`];
    }, { ...SLOW, what: 'inner Ready' });
    await inWs('outer:inner').ok(['-n', 'default', 'create', 'configmap', 'deep', '--from-literal=k=v']);
    await root.ok(['delete', 'workspace', 'outer']);
    await waitGone('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/outer');
    const all = await http.get('/clusters/*/api/v1/configmaps');
    assert.equal(all.status, 200);
    const left = (all.json.items as { metadata: { annotations?: Record<string, string> } }[])
      .filter((o) => (o.metadata.annotations?.['kcp.io/cluster'] ?? '').startsWith('root:outer'));
    assert.deepEqual(left, []);
  });

  await t.test('namespace: Terminating while held, content removed, create Forbidden, successor starts empty', async () => {
    await root.ok(['create', '-f', '-'], { stdin: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n1', finalizers: ['x/hold'] } }) });
    const ns = await http.get('/clusters/root/api/v1/namespaces/n1');
    assert.equal(ns.json.status.phase, 'Active');
    assert.deepEqual(ns.json.spec.finalizers, ['kubernetes']);
    await root.ok(['-n', 'n1', 'create', 'secret', 'generic', 'old', '--from-literal=k=v']);
    await root.ok(['-n', 'n1', 'create', 'serviceaccount', 'robot']);
    const token = await mintToken(http, 'root', 'n1', 'robot');
    assert.equal((await http.withToken(token).get('/clusters/root/api/v1/namespaces/n1/configmaps')).status, 403);

    await root.ok(['delete', 'namespace', 'n1', '--wait=false']);
    // Held by x/hold: Terminating, emptied, "kubernetes" released.
    await eventually(async () => {
      const r = await http.get('/clusters/root/api/v1/namespaces/n1');
      const secrets = await http.get('/clusters/root/api/v1/namespaces/n1/secrets');
      return [
        r.json?.status?.phase === 'Terminating' && (r.json?.spec?.finalizers ?? []).length === 0 && secrets.json?.items?.length === 0,
        `ns ${JSON.stringify(r.json?.spec)} ${r.json?.status?.phase}; secrets ${secrets.json?.items?.length}`,
      ];
    }, { ...SLOW, what: 'n1 emptied' });
    const forbidden = await http.post('/clusters/root/api/v1/namespaces/n1/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    assert.equal(forbidden.status, 403, forbidden.text);
    assert.match(forbidden.json.message, /being terminated/);
    // Server-side apply creating an object takes the same path.
    const applied = await http.patch(
      '/clusters/root/api/v1/namespaces/n1/configmaps/late?fieldManager=e2e',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } },
      'application/apply-patch+yaml',
    );
    assert.equal(applied.status, 403, applied.text);
    // A client cannot bring back the system finalizer or the Active phase.
    const put = await http.patch('/clusters/root/api/v1/namespaces/n1', { spec: { finalizers: ['kubernetes'] } }, 'application/merge-patch+json');
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json.spec.finalizers ?? [], []);

    await root.ok(['patch', 'namespace', 'n1', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await waitGone('/clusters/root/api/v1/namespaces/n1');
    await root.ok(['create', 'namespace', 'n1']);
    assert.match((await root.run(['-n', 'n1', 'get', 'secret', 'old'])).stderr, /NotFound/);
    assert.match((await root.run(['-n', 'n1', 'get', 'serviceaccount', 'robot'])).stderr, /NotFound/);
    await eventually(async () => {
      const s = (await http.withToken(token).get('/clusters/root/api/v1/namespaces/n1/configmaps')).status;
      return [s === 401, `status ${s}`];
    }, { ...SLOW, what: 'old SA token refused' });
  });

  await t.test('a Workspace created by server-side apply is initialised and its creator bound', async () => {
    const r = await http.patch(
      '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/applied?fieldManager=e2e',
      { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'applied' } },
      'application/apply-patch+yaml',
    );
    assert.equal(r.status, 201, r.text);
    await waitReady('applied');
    const binding = await http.get('/clusters/root:applied/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/workspace-admin');
    assert.equal(binding.status, 200, binding.text);
    assert.equal(binding.json.subjects[0].name, 'kplane-admin');
  });

  await t.test('namespace DELETE waits for its contents (kubectl delete returns once it is gone)', async () => {
    await root.ok(['create', 'namespace', 'n2']);
    for (let i = 0; i < 5; i++) await root.ok(['-n', 'n2', 'create', 'configmap', `c${i}`, '--from-literal=k=v']);
    await root.ok(['delete', 'namespace', 'n2', '--timeout=120s']);
    assert.equal((await http.get('/clusters/root/api/v1/namespaces/n2')).status, 404);
    assert.equal((await http.get('/clusters/root/api/v1/namespaces/n2/configmaps')).json.items.length, 0);
  });
});
