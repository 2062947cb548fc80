// kubectl's typed generators POST protobuf bodies (client-go 1.32 prefers protobuf for
// built-in kinds): `create serviceaccount|token|clusterrole|clusterrolebinding|role|
// rolebinding|deployment` against a real kplane, read back with `kubectl get -o json`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { kjson } from './support.ts';

test('kubectl: protobuf request bodies', { timeout: 300_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const k = new Kubectl(kp.kubeconfig);
  let token = '';

  await t.test('create serviceaccount, then create token (TokenRequest) that authenticates', async () => {
    assert.equal((await k.ok(['create', 'serviceaccount', 'x'])).trim(), 'serviceaccount/x created');
    token = (await k.ok(['create', 'token', 'x', '--duration=15m'])).trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const who = await kjson(k, ['--token', token, 'auth', 'whoami', '-o', 'json']);
    assert.equal(who.status.userInfo.username, 'system:serviceaccount:default:x');
    // The same token over plain HTTPS, without kubectl.
    const res = await new TestClient(kp.url, kp.caPem, token).do('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      method: 'POST',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.status.userInfo.username, 'system:serviceaccount:default:x');
  });

  await t.test('create clusterrole and clusterrolebinding', async () => {
    assert.equal(
      (await k.ok(['create', 'clusterrole', 'r', '--verb=get,list', '--resource=synctargets', '--resource-name=st-1'])).trim(),
      'clusterrole.rbac.authorization.k8s.io/r created',
    );
    const cr = await kjson(k, ['get', 'clusterrole', 'r', '-o', 'json']);
    assert.deepEqual(cr.rules, [{ verbs: ['get', 'list'], apiGroups: ['workload.kcp.io'], resources: ['synctargets'], resourceNames: ['st-1'] }]);

    await k.ok(['create', 'clusterrole', 'health', '--verb=get', '--non-resource-url=/healthz']);
    assert.deepEqual((await kjson(k, ['get', 'clusterrole', 'health', '-o', 'json'])).rules, [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]);

    const before = await k.run(['--token', token, 'auth', 'can-i', 'get', 'synctargets/st-1']);
    assert.equal(before.stdout.trim(), 'no', 'the service account starts without access');
    assert.equal(
      (await k.ok(['create', 'clusterrolebinding', 'crb', '--clusterrole=r', '--serviceaccount=default:x', '--user=alice'])).trim(),
      'clusterrolebinding.rbac.authorization.k8s.io/crb created',
    );
    const crb = await kjson(k, ['get', 'clusterrolebinding', 'crb', '-o', 'json']);
    assert.deepEqual(crb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' });
    // kubectl lists users, then groups, then service accounts.
    assert.deepEqual(crb.subjects, [
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
      { kind: 'ServiceAccount', name: 'x', namespace: 'default' },
    ]);
    // The binding grants the service account what the role says.
    await eventually(
      async () => {
        const r = await k.run(['--token', token, 'auth', 'can-i', 'get', 'synctargets/st-1']);
        return [r.stdout.trim() === 'yes', `can-i: ${r.code} ${r.stdout} ${r.stderr}`];
      },
      { timeoutMs: 30_000, what: 'the clusterrolebinding to take effect' },
    );
  });

  await t.test('create role and rolebinding', async () => {
    assert.equal((await k.ok(['create', 'role', 'ro', '--verb=get', '--resource=configmaps'])).trim(), 'role.rbac.authorization.k8s.io/ro created');
    const role = await kjson(k, ['get', 'role', 'ro', '-o', 'json']);
    assert.equal(role.metadata.namespace, 'default');
    assert.deepEqual(role.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]);

    assert.equal((await k.ok(['create', 'rolebinding', 'rb', '--role=ro', '--group=devs'])).trim(), 'rolebinding.rbac.authorization.k8s.io/rb created');
    const rb = await kjson(k, ['get', 'rolebinding', 'rb', '-o', 'json']);
    assert.equal(rb.metadata.namespace, 'default');
    assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ro' });
    assert.deepEqual(rb.subjects, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }]);
  });

  await t.test('create deployment', async () => {
    assert.equal(
      (await k.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80', '--', 'nginx', '-g', 'daemon off;'])).trim(),
      'deployment.apps/web created',
    );
    const d = await kjson(k, ['get', 'deployment', 'web', '-o', 'json']);
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.selector, { matchLabels: { app: 'web' } });
    assert.deepEqual(d.spec.template.metadata.labels, { app: 'web' });
    const [c] = d.spec.template.spec.containers;
    assert.equal(c.name, 'nginx');
    assert.equal(c.image, 'nginx:1.27');
    assert.deepEqual(c.command, ['nginx', '-g', 'daemon off;']);
    assert.equal(c.ports.length, 1);
    assert.equal(c.ports[0].containerPort, 80);
  });
});
