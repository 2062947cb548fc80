// Impersonation (kubectl --as / --as-group / --as-uid, raw Impersonate-* headers): honoured
// only when the caller holds `impersonate` on each attribute in the request's logical cluster,
// never ignored, never a way into system:masters; the request log names both users.
// alice is admin of root:ws-a (which includes `impersonate` there), bob of root:ws-b through
// group tenant-b; the admin token is system:masters.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kubectl } from '../framework/kubectl.ts';
import { ALICE_TOKEN, clusterRoleBinding, mustStatus, RBAC, type SecurityEnv, startSecurityEnv } from './security-support.ts';

describe('impersonation', { timeout: 300_000 }, () => {
  let env: SecurityEnv;
  let kubectl: Kubectl;
  /** kubectl in a workspace, as admin unless a token is given. */
  const k = (cluster: string, args: string[], token?: string) =>
    kubectl.run([`--server=${env.kp.url}/clusters/${cluster}`, ...(token ? [`--token=${token}`] : []), ...args]);

  before(async () => {
    env = await startSecurityEnv();
    kubectl = new Kubectl(env.kp.kubeconfig);
    // alice may impersonate exactly user "carol" in root:ws-b, nothing else there.
    const role = { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'impersonate-carol' }, rules: [{ apiGroups: [''], resources: ['users'], resourceNames: ['carol'], verbs: ['impersonate'] }] };
    await mustStatus(env.admin.post('/clusters/root:ws-b/apis/rbac.authorization.k8s.io/v1/clusterroles', role), 201, 'role');
    await mustStatus(env.admin.post('/clusters/root:ws-b/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', clusterRoleBinding('alice-carol', 'impersonate-carol', [{ kind: 'User', apiGroup: RBAC, name: 'alice' }])), 201, 'binding');
    // carol herself may view root:ws-b (so that kubectl's discovery as carol works there).
    await mustStatus(env.admin.post('/clusters/root:ws-b/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', clusterRoleBinding('carol-view', 'view', [{ kind: 'User', apiGroup: RBAC, name: 'carol' }])), 201, 'carol view');
  });
  after(async () => {
    await env?.[Symbol.asyncDispose]();
  });

  test('admin: kubectl --as answers as the impersonated user', async () => {
    assert.equal((await k('root:ws-b', ['auth', 'can-i', 'get', 'secrets', '-n', 'default'])).stdout.trim(), 'yes', 'admin itself');
    const asBob = await k('root:ws-b', ['auth', 'can-i', 'get', 'secrets', '-n', 'default', '--as=bob', '--as-group=tenant-b']);
    assert.equal(asBob.stdout.trim(), 'yes', asBob.stderr);
    const asCarol = await k('root:ws-b', ['auth', 'can-i', 'get', 'secrets', '-n', 'default', '--as=carol']);
    assert.equal(asCarol.stdout.trim(), 'no', `view does not read Secrets: ${asCarol.stderr}`);
    assert.equal((await k('root:ws-b', ['auth', 'can-i', 'get', 'configmaps', '-n', 'default', '--as=carol'])).stdout.trim(), 'yes');
    assert.equal((await k('root', ['auth', 'can-i', 'create', 'workspaces'])).stdout.trim(), 'yes');
    assert.equal((await k('root', ['auth', 'can-i', 'create', 'workspaces', '--as=tenant-b'])).stdout.trim(), 'no');
    const got = await k('root:ws-a', ['get', 'secrets', '-n', 'default', '-o', 'name', '--as=alice']);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /secret\/s/);
    const denied = await k('root:ws-b', ['get', 'secrets', '-n', 'default', '--as=alice']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /User "alice" cannot list resource "secrets"/);
  });

  test('whoami shows the impersonated user with system:authenticated added', async () => {
    const r = await k('root', ['auth', 'whoami', '-o', 'json', '--as=dave', '--as-group=g1', '--as-uid=u-dave']);
    assert.equal(r.code, 0, r.stderr);
    const info = (JSON.parse(r.stdout) as { status: { userInfo: { username: string; uid: string; groups: string[] } } }).status.userInfo;
    assert.deepEqual(info, { username: 'dave', uid: 'u-dave', groups: ['g1', 'system:authenticated'] });
  });

  test('a caller without `impersonate` gets 403, and the request is not served as anyone', async () => {
    const r = await k('root:ws-b', ['get', 'secrets', '-n', 'default', '--as=x'], ALICE_TOKEN);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /users "x" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope/);
    // A grant for one name is a grant for that name only, and not for groups.
    const carol = await k('root:ws-b', ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}', '--as=carol'], ALICE_TOKEN);
    assert.equal(carol.stdout, 'carol', carol.stderr);
    const carolGroup = await k('root:ws-b', ['get', 'configmaps', '-n', 'default', '--as=carol', '--as-group=tenant-b'], ALICE_TOKEN);
    assert.match(carolGroup.stderr, /groups "tenant-b" is forbidden: User "alice" cannot impersonate resource "groups"/);
    // The grant lives in root:ws-b: in root it means nothing.
    const inRoot = await k('root', ['get', 'configmaps', '-n', 'default', '--as=carol'], ALICE_TOKEN);
    assert.match(inRoot.stderr, /cannot impersonate resource "users"/);
  });

  test('a workspace admin cannot impersonate system:masters', async () => {
    // alice holds `*` in root:ws-a, impersonate included — but not the operator's group.
    const masters = { 'Impersonate-User': 'alice', 'Impersonate-Group': 'system:masters' };
    for (const path of ['/clusters/root:ws-a/api/v1/namespaces/default/secrets', '/clusters/root:ws-b/api/v1/namespaces/default/secrets', '/clusters/*/api/v1/secrets']) {
      const r = await env.alice.get(path, { headers: masters });
      assert.equal(r.status, 403, `${path}: ${r.text}`);
      assert.match(r.json.message, /groups "system:masters" is forbidden|cannot impersonate/);
    }
    const r = await k('root:ws-a', ['get', 'secrets', '-n', 'default', '--as=alice', '--as-group=system:masters'], ALICE_TOKEN);
    assert.notEqual(r.code, 0);
    // Inside its own workspace, impersonating bob gives bob's rights there (none), not alice's.
    const asBob = await env.alice.get('/clusters/root:ws-a/api/v1/namespaces/default/secrets', { headers: { 'Impersonate-User': 'bob' } });
    assert.equal(asBob.status, 403);
    assert.match(asBob.json.message, /User "bob" cannot list resource "secrets"/);
    // The operator may.
    const admin = await env.admin.get('/clusters/root:ws-b/api/v1/namespaces/default/secrets', { headers: masters });
    assert.equal(admin.status, 200, admin.text);
  });

  test('raw headers: service accounts, uid and extras are checked; groups without a user are 400', async () => {
    const alice = env.alice;
    const ssr = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
    const whoami = (cluster: string, headers: Record<string, string>) => alice.post(`/clusters/${cluster}/apis/authentication.k8s.io/v1/selfsubjectreviews`, ssr, { headers });
    const sa = await whoami('root:ws-a', { 'Impersonate-User': 'system:serviceaccount:default:robot', 'Impersonate-Extra-Example.com%2fteam': 'blue' });
    assert.equal(sa.status, 201, sa.text);
    assert.deepEqual(sa.json.status.userInfo, {
      username: 'system:serviceaccount:default:robot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: { 'authentication.kcp.io/cluster-name': ['root:ws-a'], 'example.com/team': ['blue'] },
    });
    const saB = await whoami('root:ws-b', { 'Impersonate-User': 'system:serviceaccount:default:robot' });
    assert.equal(saB.status, 403);
    assert.match(saB.json.message, /cannot impersonate resource "serviceaccounts" in API group "" in the namespace "default"/);
    const uid = await whoami('root:ws-b', { 'Impersonate-User': 'carol', 'Impersonate-Uid': 'u1' });
    assert.equal(uid.status, 403);
    assert.match(uid.json.message, /cannot impersonate resource "uids" in API group "authentication.k8s.io"/);
    const extra = await whoami('root:ws-b', { 'Impersonate-User': 'carol', 'Impersonate-Extra-Scopes': 'all' });
    assert.equal(extra.status, 403);
    assert.match(extra.json.message, /cannot impersonate resource "userextras\/scopes" in API group "authentication.k8s.io"/);
    const lone: Record<string, string>[] = [{ 'Impersonate-Group': 'tenant-b' }, { 'Impersonate-Uid': 'u1' }, { 'Impersonate-Extra-Scopes': 'x' }];
    for (const h of lone) {
      const r = await whoami('root:ws-a', h);
      assert.equal(r.status, 400, `${JSON.stringify(h)}: ${r.text}`);
      assert.equal(r.json.kind, 'Status');
    }
    // Anonymous callers cannot impersonate, even on public paths.
    const anon = await alice.get('/healthz', { token: null, headers: { 'Impersonate-User': 'kplane-admin' } });
    assert.equal(anon.status, 403);
  });

  test('the request log names the real and the impersonated user', () => {
    const line = env.kp.logs.find((l) => l.message === 'request' && l.user === 'alice' && l.impersonatedUser === 'carol');
    assert.ok(line, 'a request line with user alice and impersonatedUser carol');
    const denied = env.kp.logs.find((l) => l.message === 'request' && l.user === 'alice' && l.code === 403 && l.impersonatedUser === undefined);
    assert.ok(denied, 'a refused impersonation is logged under the real user only');
  });
});
