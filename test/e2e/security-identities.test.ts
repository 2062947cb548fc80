// Identities beyond the admin: kubectl auth can-i / whoami with a tenant's static token, a
// syncer service account whose token reaches only its own SyncTarget (and its status),
// revocation by deleting the ServiceAccount, and client certificates signed by kplane's CA.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { issueCertificate } from '../../pkg/certs/certs.ts';
import { eventually } from '../framework/eventually.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { ALICE_TOKEN, clusterRoleBinding, RBAC, type SecurityEnv, SLOW, startSecurityEnv, syncTarget } from './security-support.ts';

let env: SecurityEnv;
let kubectl: Kubectl;
before(async () => {
  env = await startSecurityEnv();
  const kubeconfig = join(env.dir, 'alice.kubeconfig');
  writeFileSync(
    kubeconfig,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'ws-a', cluster: { server: `${env.kp.url}/clusters/root:ws-a`, 'certificate-authority-data': Buffer.from(env.kp.caPem).toString('base64') } }],
      users: [{ name: 'alice', user: { token: ALICE_TOKEN } }],
      contexts: [{ name: 'ws-a', context: { cluster: 'ws-a', user: 'alice' } }],
      'current-context': 'ws-a',
    }),
  );
  kubectl = new Kubectl(kubeconfig);
});
after(async () => {
  if (kubectl) rmSync(kubectl.cacheDir, { recursive: true, force: true });
  await env?.[Symbol.asyncDispose]();
});

describe('kubectl auth', () => {
  test('whoami names the tenant', async () => {
    const out = JSON.parse(await kubectl.ok(['auth', 'whoami', '-o', 'json']));
    assert.equal(out.status.userInfo.username, 'alice');
    assert.deepEqual(out.status.userInfo.groups, ['tenant-a', 'system:authenticated']);
  });

  test('can-i answers yes in its own workspace and no elsewhere', async () => {
    assert.equal((await kubectl.ok(['auth', 'can-i', 'create', 'configmaps'])).trim(), 'yes');
    assert.equal((await kubectl.ok(['auth', 'can-i', 'patch', 'synctargets/status'])).trim(), 'yes');
    const other = await kubectl.run(['auth', 'can-i', 'list', 'secrets', `--server=${env.kp.url}/clusters/root:ws-b`]);
    // No binding in ws-b: even the review is refused there, as kcp does.
    assert.equal(other.code, 1, other.stderr);
    assert.match(other.stderr, /workspace access not permitted/);
    const root = await kubectl.run(['auth', 'can-i', 'create', 'workspaces', `--server=${env.kp.url}/clusters/root`]);
    assert.equal(root.code, 1);
    assert.match(root.stdout, /^no/);
  });

  test('can-i --list shows the rules of the workspace', async () => {
    const out = await kubectl.ok(['auth', 'can-i', '--list']);
    assert.match(out, /\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    assert.match(out, /selfsubjectaccessreviews\.authorization\.k8s\.io/);
  });

  test('forbidden errors read like kube', async () => {
    const r = await kubectl.run(['get', 'secrets', `--server=${env.kp.url}/clusters/root:ws-b`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Forbidden|forbidden/);
  });
});

describe('syncer service account', () => {
  const c = '/clusters/root:ws-a';
  let token = '';

  test('alice sets up a syncer identity scoped to edge-1 and mints a token', async () => {
    const a = env.alice;
    for (const name of ['edge-1', 'edge-2']) {
      assert.equal((await a.do(`${c}/apis/workload.kcp.io/v1alpha1/synctargets`, { method: 'POST', body: syncTarget(name) })).status, 201);
    }
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'syncer-edge-1' } };
    assert.equal((await a.do(`${c}/api/v1/namespaces/default/serviceaccounts`, { method: 'POST', body: sa })).status, 201);
    const role = {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'syncer-edge-1' },
      rules: [
        { apiGroups: ['workload.kcp.io'], resources: ['synctargets'], resourceNames: ['edge-1'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['workload.kcp.io'], resources: ['synctargets/status'], resourceNames: ['edge-1'], verbs: ['update', 'patch'] },
      ],
    };
    assert.equal((await a.do(`${c}/apis/${RBAC}/v1/clusterroles`, { method: 'POST', body: role })).status, 201);
    const crb = clusterRoleBinding('syncer-edge-1', 'syncer-edge-1', [{ kind: 'ServiceAccount', name: 'syncer-edge-1', namespace: 'default' }]);
    assert.equal((await a.do(`${c}/apis/${RBAC}/v1/clusterrolebindings`, { method: 'POST', body: crb })).status, 201);
    const tr = await a.do(`${c}/api/v1/namespaces/default/serviceaccounts/syncer-edge-1/token`, {
      method: 'POST',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
    });
    assert.equal(tr.status, 201, tr.text);
    token = tr.json.status.token;
    assert.ok(token.startsWith('eyJ'));
    assert.ok(Date.parse(tr.json.status.expirationTimestamp) > Date.now());
    // Bob may not mint tokens for A's service accounts.
    const bob = await env.bob.do(`${c}/api/v1/namespaces/default/serviceaccounts/syncer-edge-1/token`, { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } });
    assert.equal(bob.status, 403);
  });

  test('the token touches only its own SyncTarget and its status', async () => {
    const s = env.admin.withToken(token);
    const st = `${c}/apis/workload.kcp.io/v1alpha1/synctargets`;
    const merge = 'application/merge-patch+json';
    const want: [string, Promise<{ status: number; text: string }>, number][] = [
      ['get own', s.do(`${st}/edge-1`), 200],
      ['list own by fieldSelector', s.do(`${st}?fieldSelector=metadata.name%3Dedge-1`), 200],
      ['watch own by fieldSelector', s.do(`${st}?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3Dedge-1`), 200],
      ['patch own status', s.do(`${st}/edge-1/status`, { method: 'PATCH', contentType: merge, body: { status: { lastSyncerHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } }), 200],
      ['get other', s.do(`${st}/edge-2`), 403],
      ['patch other status', s.do(`${st}/edge-2/status`, { method: 'PATCH', contentType: merge, body: { status: {} } }), 403],
      ['list all', s.do(st), 403],
      ['list other by fieldSelector', s.do(`${st}?fieldSelector=metadata.name%3Dedge-2`), 403],
      ['patch own spec', s.do(`${st}/edge-1`, { method: 'PATCH', contentType: merge, body: { spec: { unschedulable: true } } }), 403],
      ['delete own', s.do(`${st}/edge-1`, { method: 'DELETE' }), 403],
      ['create', s.do(st, { method: 'POST', body: syncTarget('edge-3') }), 403],
      ['configmaps', s.do(`${c}/api/v1/namespaces/default/configmaps`), 403],
      ['secrets', s.do(`${c}/api/v1/namespaces/default/secrets`), 403],
      ['same name in ws-b', s.do(`/clusters/root:ws-b/apis/workload.kcp.io/v1alpha1/synctargets/st`), 403],
      ['root', s.do('/clusters/root/apis/workload.kcp.io/v1alpha1/synctargets'), 403],
      ['wildcard', s.do('/clusters/*/apis/workload.kcp.io/v1alpha1/synctargets'), 403],
    ];
    const failures: string[] = [];
    for (const [what, p, code] of want) {
      const r = await p;
      if (r.status !== code) failures.push(`${what}: want ${code}, got ${r.status} ${r.text.slice(0, 200)}`);
    }
    assert.deepEqual(failures, []);
    const who = await s.do('/clusters/root:ws-a/apis/authentication.k8s.io/v1/selfsubjectreviews', { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    assert.equal(who.json.status.userInfo.username, 'system:serviceaccount:default:syncer-edge-1');
  });

  test('the token is ES256; re-labelled, truncated or re-signed copies of it are refused and write nothing', async () => {
    const [h, p, sig] = token.split('.') as [string, string, string];
    assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url').toString('utf8')), { alg: 'ES256', typ: 'JWT' });
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const resigned = `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), { key: other.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const forgeries: [string, string][] = [
      ['alg RS256', `${b64({ alg: 'RS256', typ: 'JWT' })}.${p}.${sig}`],
      ['alg HS256', `${b64({ alg: 'HS256', typ: 'JWT' })}.${p}.${sig}`],
      ['alg none, no signature', `${b64({ alg: 'none' })}.${p}.`],
      ['signature cut short', `${h}.${p}.${sig.slice(0, -4)}`],
      ['signed by another P-256 key', resigned],
    ];
    const st = `${c}/apis/workload.kcp.io/v1alpha1/synctargets/edge-1`;
    const before = (await env.admin.do(st)).json;
    const failures: string[] = [];
    for (const [what, forged] of forgeries) {
      // What the genuine token may do: beat edge-1's status, with a time it has never held.
      const r = await env.admin.withToken(forged).do(`${st}/status`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { status: { lastSyncerHeartbeatTime: '2001-01-01T00:00:00Z' } } });
      if (r.status !== 401) failures.push(`${what}: want 401, got ${r.status} ${r.text.slice(0, 200)}`);
    }
    assert.deepEqual(failures, []);
    const after = (await env.admin.do(st)).json;
    // Only a syncer writes the heartbeat time (the controllers may still update conditions, so
    // the resourceVersion is no witness here).
    assert.equal(after.status?.lastSyncerHeartbeatTime, before.status?.lastSyncerHeartbeatTime);
    assert.notEqual(after.status?.lastSyncerHeartbeatTime, '2001-01-01T00:00:00Z');
  });

  test('deleting the ServiceAccount revokes its tokens, recreating it does not revive them', async () => {
    const sa = `${c}/api/v1/namespaces/default/serviceaccounts/syncer-edge-1`;
    assert.equal((await env.alice.do(sa, { method: 'DELETE' })).status, 200);
    const s = env.admin.withToken(token);
    await eventually(
      async () => {
        const r = await s.do(`${c}/apis/workload.kcp.io/v1alpha1/synctargets/edge-1`);
        return [r.status === 401, `status ${r.status}`];
      },
      { ...SLOW, what: 'token revoked' },
    );
    const recreated = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'syncer-edge-1' } };
    assert.equal((await env.alice.do(`${c}/api/v1/namespaces/default/serviceaccounts`, { method: 'POST', body: recreated })).status, 201);
    // Past the authenticator's 1 s cache, the old token must still be refused (the uid differs).
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await s.do(`${c}/apis/workload.kcp.io/v1alpha1/synctargets/edge-1`)).status, 401);
  });
});

describe('client certificates', () => {
  function get(path: string, cert: { certPem: string; keyPem: string }): Promise<{ status: number; json: { status?: { userInfo?: { username?: string; groups?: string[] } } } }> {
    return new Promise((resolve, reject) => {
      const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
      const req = request(new URL(path, env.kp.url), { method: 'POST', ca: env.kp.caPem, cert: cert.certPem, key: cert.keyPem, headers: { 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text || '{}') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  test('CN is the user and O the groups; a foreign CA is refused', async () => {
    const ca = { certPem: env.kp.caPem, keyPem: readFileSync(join(env.kp.rootDir, 'ca.key'), 'utf8') };
    const carol = issueCertificate(ca, { commonName: 'carol', organizations: ['tenant-b'], usage: 'client' });
    const r = await get('/clusters/root:ws-b/apis/authentication.k8s.io/v1/selfsubjectreviews', carol);
    assert.equal(r.status, 201);
    assert.equal(r.json.status?.userInfo?.username, 'carol');
    assert.deepEqual(r.json.status?.userInfo?.groups, ['tenant-b', 'system:authenticated']);
    const { createCA } = await import('../../pkg/certs/certs.ts');
    const mallory = issueCertificate(createCA('evil'), { commonName: 'kplane-admin', organizations: ['system:masters'], usage: 'client' });
    const bad = await get('/clusters/root/apis/authentication.k8s.io/v1/selfsubjectreviews', mallory);
    assert.equal(bad.status, 401);
  });
});
