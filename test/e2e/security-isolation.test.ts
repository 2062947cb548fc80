// Tenant isolation, verb by verb: tenant A (alice, static token) is admin of root:ws-a and
// nothing else. For SyncTargets, Secrets, ConfigMaps and Workspaces and every verb, A is
// refused (403) in B's workspace and in root, refused on the wildcard cluster, and allowed
// in its own workspace; nothing of B or root changes. Also: 401s, and the creator of a
// workspace becomes its admin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import type { HttpResponse, TestClient } from '../framework/http.ts';
import { configMap, secret, type SecurityEnv, SLOW, startSecurityEnv, syncTarget, waitWorkspaceReady, workspace } from './security-support.ts';

interface Res {
  name: string;
  /** URL of the collection in a cluster. */
  base(cluster: string): string;
  make(name: string, labels?: Record<string, string>): Record<string, unknown>;
  /** The seeded object's name in every cluster. */
  seeded: string;
  status?: Record<string, unknown>;
}

const RESOURCES: Res[] = [
  { name: 'synctargets', base: (c) => `/clusters/${c}/apis/workload.kcp.io/v1alpha1/synctargets`, make: syncTarget, seeded: 'st', status: { phase: 'Pending' } },
  { name: 'secrets', base: (c) => `/clusters/${c}/api/v1/namespaces/default/secrets`, make: secret, seeded: 's' },
  { name: 'configmaps', base: (c) => `/clusters/${c}/api/v1/namespaces/default/configmaps`, make: configMap, seeded: 'cm' },
  { name: 'workspaces', base: (c) => `/clusters/${c}/apis/tenancy.kcp.io/v1alpha1/workspaces`, make: workspace, seeded: 'w', status: { phase: 'Ready' } },
];

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'status patch', 'delete', 'deletecollection'] as const;
type VerbName = (typeof VERBS)[number];
const MERGE = 'application/merge-patch+json';

/** One request of `verb` against `name` (or the collection) of `r` in `cluster`. */
function send(client: TestClient, r: Res, cluster: string, verb: VerbName, name: string): Promise<HttpResponse> {
  const base = r.base(cluster);
  switch (verb) {
    case 'get':
      return client.do(`${base}/${name}`);
    case 'list':
      return client.do(base);
    case 'watch':
      return client.do(`${base}?watch=1&timeoutSeconds=1`);
    case 'create':
      return client.do(base, { method: 'POST', body: r.make(name, { sec: 'e2e' }) });
    case 'update':
      return client.do(`${base}/${name}`, { method: 'PUT', body: r.make(name, { sec: 'e2e', updated: 'yes' }) });
    case 'patch':
      return client.do(`${base}/${name}`, { method: 'PATCH', body: { metadata: { labels: { patched: 'yes' } } }, contentType: MERGE });
    case 'status patch':
      return client.do(`${base}/${name}/status`, { method: 'PATCH', body: { status: r.status ?? {} }, contentType: MERGE });
    case 'delete':
      return client.do(`${base}/${name}`, { method: 'DELETE' });
    case 'deletecollection':
      return client.do(`${base}?labelSelector=sec%3De2e`, { method: 'DELETE' });
  }
}

let env: SecurityEnv;
before(async () => {
  env = await startSecurityEnv();
});
after(async () => {
  await env?.[Symbol.asyncDispose]();
});

async function snapshot(client: TestClient): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const cluster of ['root', 'root:ws-b']) {
    for (const r of RESOURCES) {
      const list = await client.do(r.base(cluster));
      assert.equal(list.status, 200, list.text);
      for (const item of list.json.items) out.set(`${cluster}|${r.name}/${item.metadata.name}`, item.metadata.resourceVersion);
    }
  }
  return out;
}

describe('tenant A is refused outside its workspace', () => {
  test('every verb on every resource in B, in root, and on the wildcard', async () => {
    const before = await snapshot(env.admin);
    const failures: string[] = [];
    for (const r of RESOURCES) {
      for (const verb of VERBS) {
        for (const cluster of ['root:ws-b', 'root']) {
          const res = await send(env.alice, r, cluster, verb, verb === 'create' ? 'x-new' : r.seeded);
          if (res.status !== 403 || res.json?.kind !== 'Status' || res.json?.reason !== 'Forbidden') {
            failures.push(`${verb} ${r.name} in ${cluster}: ${res.status} ${res.text.slice(0, 160)}`);
          } else if (!String(res.json.message).includes('User "alice" cannot')) {
            failures.push(`${verb} ${r.name} in ${cluster}: message ${res.json.message}`);
          }
        }
        // The wildcard serves list and watch only (405 for everyone otherwise); A gets 403.
        const wild = await send(env.alice, r, '*', verb, r.seeded);
        const want = verb === 'list' || verb === 'watch' ? 403 : 405;
        if (wild.status !== want) failures.push(`${verb} ${r.name} on *: ${wild.status} ${wild.text.slice(0, 160)}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(await snapshot(env.admin), before, 'nothing in root or ws-b changed');
  });

  test('discovery and reviews of a foreign workspace are refused, root discovery is open', async () => {
    assert.equal((await env.alice.do('/clusters/root:ws-b/apis')).status, 403);
    assert.equal((await env.alice.do('/clusters/root:ws-b/api/v1')).status, 403);
    assert.equal((await env.alice.do('/clusters/root:does-not-exist/apis')).status, 403, 'no existence oracle');
    assert.equal((await env.alice.do('/clusters/root/apis')).status, 200);
    assert.equal((await env.alice.do('/clusters/root:ws-a/apis')).status, 200);
  });

  test('B is refused in A symmetrically (group binding)', async () => {
    for (const r of RESOURCES) {
      assert.equal((await send(env.bob, r, 'root:ws-a', 'list', '')).status, 403, r.name);
      assert.equal((await send(env.bob, r, 'root:ws-b', 'list', '')).status, 200, r.name);
    }
  });
});

describe('tenant A is allowed in its own workspace', () => {
  test('every verb on every resource', async () => {
    const cluster = 'root:ws-a';
    for (const r of RESOURCES) {
      const ok = async (verb: VerbName, name: string, codes: number[]) => {
        const res = await send(env.alice, r, cluster, verb, name);
        assert.ok(codes.includes(res.status), `${verb} ${r.name}: ${res.status} ${res.text.slice(0, 300)}`);
        return res;
      };
      await ok('create', 'x-new', [201]);
      await ok('get', 'x-new', [200]);
      await ok('list', '', [200]);
      await ok('watch', '', [200]);
      const live = await ok('get', 'x-new', [200]);
      const body: Record<string, unknown> = { ...r.make('x-new', { sec: 'e2e', updated: 'yes' }), metadata: { ...live.json.metadata, labels: { sec: 'e2e', updated: 'yes' } } };
      if (r.name === 'synctargets' || r.name === 'workspaces') body.spec = live.json.spec;
      const put = await env.alice.do(`${r.base(cluster)}/x-new`, { method: 'PUT', body });
      assert.equal(put.status, 200, `update ${r.name}: ${put.text}`);
      await ok('patch', 'x-new', [200]);
      // Secrets and ConfigMaps have no status subresource: past authorization, the handler says 404.
      await ok('status patch', 'x-new', r.status ? [200] : [404]);
      await ok('delete', 'x-new', [200, 202]);
      await ok('create', 'x-new-2', [201]);
      await ok('deletecollection', '', [200]);
    }
  });

  test('the creator of a workspace is its admin; others have no access there', async () => {
    await eventually(
      async () => {
        const r = await env.alice.do('/clusters/root:ws-a/apis/tenancy.kcp.io/v1alpha1/workspaces', { method: 'POST', body: workspace('child') });
        return [r.status === 201 || r.status === 409, `${r.status} ${r.text.slice(0, 200)}`];
      },
      { ...SLOW, what: 'alice creates root:ws-a:child' },
    );
    await waitWorkspaceReady(env.admin, 'root:ws-a', 'child');
    const crb = await env.admin.do('/clusters/root:ws-a:child/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/workspace-admin');
    assert.equal(crb.status, 200, crb.text);
    assert.deepEqual(crb.json.subjects.map((s: { name: string }) => s.name), ['alice']);
    assert.equal((await env.alice.do('/clusters/root:ws-a:child/api/v1/namespaces/default/configmaps')).status, 200);
    assert.equal((await env.bob.do('/clusters/root:ws-a:child/api/v1/namespaces/default/configmaps')).status, 403);
    const roles = await env.admin.do('/clusters/root:ws-a:child/apis/rbac.authorization.k8s.io/v1/clusterroles');
    assert.deepEqual(roles.json.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort(), ['admin', 'cluster-admin', 'edit', 'view']);
  });
});

describe('authentication', () => {
  test('missing, bad and malformed credentials get 401 Status; public paths stay open', async () => {
    const anon = env.admin.withToken(undefined);
    for (const [client, headers] of [
      [anon, {}],
      [env.admin.withToken('not-a-token'), {}],
      [env.admin.withToken('eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjk5OTk5OTk5OTl9.AAAA'), {}],
      [anon, { Authorization: 'Basic YWxpY2U6cGFzcw==' }],
      [anon, { Authorization: 'Bearer' }],
    ] as [TestClient, Record<string, string>][]) {
      const r = await client.do('/clusters/root:ws-a/api/v1/namespaces/default/configmaps', { headers });
      assert.equal(r.status, 401, r.text);
      assert.equal(r.json.kind, 'Status');
      assert.equal(r.json.reason, 'Unauthorized');
    }
    assert.equal((await anon.do('/readyz')).status, 200);
    assert.equal((await anon.do('/version')).status, 200);
    assert.equal((await anon.do('/apis')).status, 401);
  });

  test('tokens never appear in the logs', () => {
    const all = JSON.stringify(env.kp.logs);
    assert.ok(!all.includes('alice-0123456789abcdef'));
    assert.ok(!all.includes(env.kp.adminToken));
  });
});
