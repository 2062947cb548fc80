// RBAC attacks by tenants who hold some rights and want more (issue 14, items 3 and 4):
//  - a namespace admin addressing the cluster-scoped `namespaces` under its own namespace
//    (`/api/v1/namespaces/team1/namespaces`) gets 404 for every verb, with or without a
//    `/clusters/<ws>` prefix, and no Namespace goes away;
//  - a user who may only write RBAC objects cannot make itself admin (a Role with `*`, a
//    binding to admin or cluster-admin) through create, update, patch, server-side apply or
//    dry-run, by raw HTTP and by kubectl; with `escalate` or `bind` it can, and rights one
//    holds can be delegated.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { TestClient } from '../framework/http.ts';
import { type Kplane, startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { clusterRoleBinding, configMap, mustStatus, RBAC, waitWorkspaceReady, workspace } from './security-support.ts';

const WS = 'root:rbac';
const C = `/clusters/${WS}`;
const R = `${C}/apis/${RBAC}/v1`;
const USERS = ['nsadmin', 'writer', 'escalator', 'binder', 'delegator', 'friend'] as const;
type User = (typeof USERS)[number];
const token = (u: User) => `${u}-token-0123456789`;

let kp: Kplane;
let dir: string;
let admin: TestClient;
const as = {} as Record<User, TestClient>;
const kubectls: Kubectl[] = [];

function kubectlAs(u: User): Kubectl {
  const k = new Kubectl(join(dir, 'kubeconfig'), [`--token=${token(u)}`]);
  kubectls.push(k);
  return k;
}

const clusterRole = (name: string, rules: Record<string, unknown>[]) => ({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name }, rules });
const user = (name: string) => ({ kind: 'User', apiGroup: RBAC, name });
const roleBinding = (name: string, namespace: string, roleKind: string, role: string, who: string) => ({
  apiVersion: `${RBAC}/v1`,
  kind: 'RoleBinding',
  metadata: { name, namespace },
  roleRef: { apiGroup: RBAC, kind: roleKind, name: role },
  subjects: [user(who)],
});

const RBAC_RESOURCES = ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kplane-rbac-'));
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, USERS.map((u) => `${token(u)},${u},uid-${u}`).join('\n') + '\n', { mode: 0o600 });
  kp = await startKplane({ args: ['--token-auth-file', tokenFile] });
  admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  for (const u of USERS) as[u] = admin.withToken(token(u));
  writeFileSync(
    join(dir, 'kubeconfig'),
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'ws', cluster: { server: `${kp.url}${C}`, 'certificate-authority-data': Buffer.from(kp.caPem).toString('base64') } }],
      users: [{ name: 'u', user: {} }],
      contexts: [{ name: 'ws', context: { cluster: 'ws', user: 'u', namespace: 'default' } }],
      'current-context': 'ws',
    }),
  );

  await mustStatus(admin.post('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', workspace('rbac')), 201, 'create workspace');
  await waitWorkspaceReady(admin, 'root', 'rbac');
  for (const cluster of ['root', WS]) {
    for (const ns of ['team1', 'team2']) {
      await mustStatus(admin.post(`/clusters/${cluster}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), 201, `namespace ${ns} in ${cluster}`);
    }
    await mustStatus(admin.post(`/clusters/${cluster}/api/v1/namespaces/team2/configmaps`, configMap('keep')), 201, `configmap in ${cluster}`);
    await mustStatus(admin.post(`/clusters/${cluster}/apis/${RBAC}/v1/namespaces/team1/rolebindings`, roleBinding('nsadmin', 'team1', 'ClusterRole', 'admin', 'nsadmin')), 201, `nsadmin in ${cluster}`);
  }
  const roles = [
    clusterRole('rbac-writer', [{ apiGroups: [RBAC], resources: RBAC_RESOURCES, verbs: ['get', 'list', 'create', 'update', 'patch'] }]),
    clusterRole('escalate', [{ apiGroups: [RBAC], resources: ['roles', 'clusterroles'], verbs: ['escalate'] }]),
    clusterRole('bind-admin', [{ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['admin'] }]),
    clusterRole('cm-reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]),
    clusterRole('small', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
  ];
  for (const r of roles) await mustStatus(admin.post(`${R}/clusterroles`, r), 201, `clusterrole ${r.metadata.name}`);
  const grants: [string, string, User][] = [
    ['writer', 'rbac-writer', 'writer'],
    ['escalator', 'rbac-writer', 'escalator'],
    ['escalator-2', 'escalate', 'escalator'],
    ['binder', 'rbac-writer', 'binder'],
    ['binder-2', 'bind-admin', 'binder'],
    ['delegator', 'rbac-writer', 'delegator'],
    ['delegator-2', 'cm-reader', 'delegator'],
  ];
  for (const [name, role, who] of grants) {
    await mustStatus(admin.post(`${R}/clusterrolebindings`, clusterRoleBinding(name, role, [user(who)])), 201, `bind ${name}`);
  }
  await mustStatus(admin.post(`${C}/api/v1/namespaces/default/configmaps`, configMap('shared')), 201, 'configmap for delegation');
});

after(async () => {
  for (const k of kubectls) rmSync(k.cacheDir, { recursive: true, force: true });
  await kp?.[Symbol.asyncDispose]();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function names(path: string): Promise<string[]> {
  const r = await admin.get(path);
  assert.equal(r.status, 200, r.text);
  return (r.json.items as { metadata: { name: string } }[]).map((i) => i.metadata.name).sort();
}

describe('namespaces under a namespace (item 3)', () => {
  test('a namespace admin gets 404 for every verb on /namespaces/<ns>/namespaces, and nothing is deleted', async () => {
    const before = { root: await names('/api/v1/namespaces'), ws: await names(`${C}/api/v1/namespaces`) };
    assert.ok(before.ws.includes('team2') && before.root.includes('team2'));
    const merge = 'application/merge-patch+json';
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team2' } };
    for (const prefix of ['', C]) {
      const base = `${prefix}/api/v1/namespaces/team1/namespaces`;
      const attempts: [string, Promise<{ status: number; text: string }>][] = [
        ['deletecollection', as.nsadmin.delete(base)],
        ['delete', as.nsadmin.delete(`${base}/team2`)],
        ['delete own', as.nsadmin.delete(`${base}/team1`)],
        ['list', as.nsadmin.get(base)],
        ['get', as.nsadmin.get(`${base}/team2`)],
        ['watch', as.nsadmin.get(`${base}?watch=1&timeoutSeconds=1`)],
        ['create', as.nsadmin.post(base, { ...ns, metadata: { name: 'planted' } })],
        ['update', as.nsadmin.put(`${base}/team2`, ns)],
        ['patch', as.nsadmin.patch(`${base}/team2`, { metadata: { labels: { x: 'y' } } }, merge)],
        ['status', as.nsadmin.put(`${base}/team2/status`, ns)],
        ['finalize', as.nsadmin.put(`${base}/team2/finalize`, ns)],
        ['admin deletecollection', admin.delete(base)],
      ];
      for (const [what, p] of attempts) {
        const r = await p;
        assert.equal(r.status, 404, `${what} ${prefix || '(root)'}: ${r.text}`);
        assert.equal(JSON.parse(r.text).kind, 'Status');
      }
    }
    assert.deepEqual(await names('/api/v1/namespaces'), before.root);
    assert.deepEqual(await names(`${C}/api/v1/namespaces`), before.ws);
    assert.deepEqual(await names(`${C}/api/v1/namespaces/team2/configmaps`), ['keep']);
    assert.ok(!before.ws.includes('planted'));
  });

  test('the namespace admin keeps its namespace rights; the Namespace object itself needs cluster-wide rights', async () => {
    await mustStatus(as.nsadmin.post(`${C}/api/v1/namespaces/team1/configmaps`, configMap('mine')), 201, 'own namespace');
    await mustStatus(as.nsadmin.get(`${C}/api/v1/namespaces/team2/configmaps`), 403, 'other namespace');
    await mustStatus(as.nsadmin.delete(`${C}/api/v1/namespaces/team2`), 403, 'delete another namespace');
    await mustStatus(as.nsadmin.delete(`${C}/api/v1/namespaces`), 403, 'deletecollection of namespaces');
  });

  test('the Namespace object and its status stay addressable', async () => {
    const got = await admin.get(`${C}/api/v1/namespaces/team1`);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.json.metadata.name, 'team1');
    const status = await admin.get(`${C}/api/v1/namespaces/team1/status`);
    assert.equal(status.status, 200, status.text);
    assert.equal(status.json.kind, 'Namespace');
    const patched = await admin.patch(`${C}/api/v1/namespaces/team1`, { metadata: { labels: { team: 'one' } } }, 'application/merge-patch+json');
    assert.equal(patched.status, 200, patched.text);
  });
});

/** The body of the Status a failed request returned, and that nothing was stored. */
async function escalationRefused(p: Promise<{ status: number; text: string }>, what: string): Promise<void> {
  const r = await p;
  assert.equal(r.status, 403, `${what}: ${r.text}`);
  const s = JSON.parse(r.text);
  assert.equal(s.kind, 'Status');
  assert.equal(s.reason, 'Forbidden');
  assert.match(s.message, /is attempting to grant RBAC permissions not currently held/, what);
}

const ALL = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];

describe('RBAC escalation (item 4), raw HTTP', () => {
  test('a user who may only write RBAC objects cannot grant itself more', async () => {
    const w = as.writer;
    await escalationRefused(w.post(`${R}/clusterroles`, clusterRole('boss', ALL)), 'clusterrole *');
    await escalationRefused(w.post(`${R}/namespaces/default/roles`, { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'boss' }, rules: ALL }), 'role *');
    await escalationRefused(w.post(`${R}/clusterrolebindings`, clusterRoleBinding('pwn', 'cluster-admin', [user('writer')])), 'bind cluster-admin');
    await escalationRefused(w.post(`${R}/clusterrolebindings`, clusterRoleBinding('pwn', 'admin', [user('writer')])), 'bind admin');
    await escalationRefused(w.post(`${R}/namespaces/default/rolebindings`, roleBinding('pwn', 'default', 'ClusterRole', 'admin', 'writer')), 'rolebinding admin');
    await escalationRefused(w.post(`${R}/clusterrolebindings?dryRun=All`, clusterRoleBinding('pwn', 'admin', [user('writer')])), 'dry-run');
    // Update, every patch type and server-side apply of an existing role.
    const small = await admin.get(`${R}/clusterroles/small`);
    await escalationRefused(w.put(`${R}/clusterroles/small`, { ...small.json, rules: ALL }), 'update');
    await escalationRefused(w.patch(`${R}/clusterroles/small`, { rules: ALL }, 'application/merge-patch+json'), 'merge patch');
    await escalationRefused(w.patch(`${R}/clusterroles/small`, [{ op: 'add', path: '/rules/-', value: ALL[0] }], 'application/json-patch+json'), 'json patch');
    await escalationRefused(w.patch(`${R}/clusterroles/small`, { rules: ALL }, 'application/strategic-merge-patch+json'), 'strategic patch');
    await escalationRefused(w.patch(`${R}/clusterroles/small?fieldManager=x&force=true`, JSON.stringify(clusterRole('small', ALL)), 'application/apply-patch+yaml'), 'apply update');
    await escalationRefused(w.patch(`${R}/clusterroles/applied?fieldManager=x`, JSON.stringify(clusterRole('applied', ALL)), 'application/apply-patch+yaml'), 'apply create');
    // Adding oneself to an existing admin binding is a grant as well.
    await mustStatus(admin.post(`${R}/clusterrolebindings`, clusterRoleBinding('admins', 'admin', [user('someone')])), 201, 'admins binding');
    await escalationRefused(w.patch(`${R}/clusterrolebindings/admins`, { subjects: [user('someone'), user('writer')] }, 'application/merge-patch+json'), 'add subject');
    // Nothing was stored or changed.
    for (const path of ['clusterroles/boss', 'clusterroles/applied', 'clusterrolebindings/pwn', 'namespaces/default/roles/boss', 'namespaces/default/rolebindings/pwn']) {
      await mustStatus(admin.get(`${R}/${path}`), 404, path);
    }
    assert.deepEqual((await admin.get(`${R}/clusterroles/small`)).json.rules, small.json.rules);
    assert.deepEqual((await admin.get(`${R}/clusterrolebindings/admins`)).json.subjects, [user('someone')]);
    await mustStatus(w.get(`${C}/api/v1/namespaces/default/secrets`), 403, 'still no admin');
    // Metadata-only changes grant nothing and stay allowed.
    await mustStatus(w.patch(`${R}/clusterrolebindings/admins`, { metadata: { labels: { seen: 'yes' } } }, 'application/merge-patch+json'), 200, 'label');
  });

  test('a binding to a role that does not exist is NotFound unless one may bind it', async () => {
    await mustStatus(as.writer.post(`${R}/clusterrolebindings`, clusterRoleBinding('dangling', 'not-yet', [user('writer')])), 404, 'dangling');
  });
});

describe('RBAC escalation (item 4), kubectl', () => {
  test('kubectl create clusterrolebinding/clusterrole/role are refused for a mere RBAC writer', async () => {
    const k = kubectlAs('writer');
    for (const args of [
      ['create', 'clusterrolebinding', 'pwn', '--clusterrole=cluster-admin', '--user=writer'],
      ['create', 'clusterrolebinding', 'pwn', '--clusterrole=admin', '--user=writer', '--dry-run=server'],
      ['create', 'rolebinding', 'pwn', '--clusterrole=admin', '--user=writer'],
      ['create', 'clusterrole', 'boss', '--verb=*', '--resource=*.*'],
      ['create', 'role', 'boss', '--verb=get', '--resource=secrets'],
    ]) {
      const r = await k.run(args);
      assert.notEqual(r.code, 0, `${args.join(' ')} succeeded:\n${r.stdout}`);
      assert.match(r.stderr, /Forbidden|forbidden/, args.join(' '));
      assert.match(r.stderr, /attempting to grant RBAC permissions not currently held/, args.join(' '));
    }
    await mustStatus(admin.get(`${R}/clusterrolebindings/pwn`), 404, 'no crb');
    await mustStatus(admin.get(`${R}/namespaces/default/rolebindings/pwn`), 404, 'no rb');
    await mustStatus(admin.get(`${R}/namespaces/default/roles/boss`), 404, 'no role');
    const apply = await k.run(['apply', '--server-side', '-f', '-'], { stdin: YAML.stringify(clusterRole('boss', ALL)) });
    assert.notEqual(apply.code, 0, apply.stdout);
    assert.match(apply.stderr, /not currently held/);
    await mustStatus(admin.get(`${R}/clusterroles/boss`), 404, 'no clusterrole');
  });

  test('with escalate a user may create a role granting more than it holds', async () => {
    const k = kubectlAs('escalator');
    await k.ok(['create', 'clusterrole', 'esc-all', '--verb=*', '--resource=*.*']);
    await k.ok(['create', 'role', 'esc-secrets', '--verb=get', '--resource=secrets']);
    // …but escalate is not bind: binding it to oneself is still refused.
    const r = await k.run(['create', 'clusterrolebinding', 'esc-pwn', '--clusterrole=esc-all', '--user=escalator']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not currently held/);
  });

  test('with bind on admin (resourceNames) a user may bind admin, and nothing else it lacks', async () => {
    const k = kubectlAs('binder');
    await k.ok(['create', 'clusterrolebinding', 'made-admin', '--clusterrole=admin', '--user=friend']);
    await mustStatus(as.friend.get(`${C}/api/v1/namespaces/default/secrets`), 200, 'friend is admin now');
    const r = await k.run(['create', 'clusterrolebinding', 'made-ca', '--clusterrole=cluster-admin', '--user=friend']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not currently held/);
  });

  test('rights one holds can be delegated; more cannot', async () => {
    const k = kubectlAs('delegator');
    await k.ok(['create', 'role', 'cm-get', '--verb=get', '--resource=configmaps']);
    await k.ok(['create', 'rolebinding', 'cm-get', '--role=cm-get', '--user=nsadmin']);
    await mustStatus(as.nsadmin.get(`${C}/api/v1/namespaces/default/configmaps/shared`), 200, 'delegated get');
    await k.ok(['create', 'clusterrolebinding', 'cm-reader-nsadmin', '--clusterrole=cm-reader', '--user=nsadmin']);
    const more = await k.run(['create', 'role', 'cm-delete', '--verb=get,delete', '--resource=configmaps']);
    assert.notEqual(more.code, 0);
    assert.match(more.stderr, /not currently held:\n?.*configmaps.*delete/s);
    // A namespace admin can hand out admin in its own namespace only.
    const ns = kubectlAs('nsadmin');
    await ns.ok(['create', 'rolebinding', 'co-admin', '--clusterrole=admin', '--user=friend', '-n', 'team1']);
    const elsewhere = await ns.run(['create', 'rolebinding', 'co-admin', '--clusterrole=admin', '--user=friend', '-n', 'team2']);
    assert.notEqual(elsewhere.code, 0);
  });
});
