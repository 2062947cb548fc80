import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../client/object.ts';
import { getSecret, getSecretValue, SECRET_LABEL, TOKEN_SA_UID_ANNOTATION, tokenSecretForm, VALUE_NOT_CACHED } from './secrets.ts';
import { fakeDeps, fakeSecretsClient, type SecretCalls, stepContext, syncTarget } from './testing.ts';

function secret(name: string, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', annotations: { 'kcp.io/cluster': 'root:org' }, ...(labels ? { labels } : {}) }, data: {} };
}

test('a labelled Secret comes from the cache: no request', async () => {
  const calls: SecretCalls = { gets: [], patches: [] };
  const deps = fakeDeps({ now: 0 }, { clusterClient: fakeSecretsClient(new Map(), calls) }, [secret('kc', { [SECRET_LABEL]: 'true' })]);
  const got = await getSecret(stepContext(syncTarget(), deps), 'default', 'kc');
  assert.equal(got?.metadata.name, 'kc');
  assert.deepEqual(calls, { gets: [], patches: [] });
});

test('an unlabelled Secret (created by the admin, or by an older kplane) is read once and labelled, so the selected informer has it from then on', async () => {
  const calls: SecretCalls = { gets: [], patches: [] };
  const server = new Map([['default/old-token', secret('old-token', { 'app.kubernetes.io/managed-by': 'kplane' })]]);
  const ctx = stepContext(syncTarget(), fakeDeps({ now: 0 }, { clusterClient: fakeSecretsClient(server, calls) }));
  const got = await getSecret(ctx, 'default', 'old-token');
  assert.equal(got?.metadata.labels?.[SECRET_LABEL], 'true');
  assert.equal(got?.metadata.labels?.['app.kubernetes.io/managed-by'], 'kplane', 'other labels kept');
  assert.deepEqual(calls.patches, [{ name: 'old-token', patch: { metadata: { labels: { [SECRET_LABEL]: 'true' } } } }]);
  assert.equal(server.get('default/old-token')?.metadata.labels?.[SECRET_LABEL], 'true');
  // A second step asking for it in the same reconcile costs nothing more.
  await getSecret(ctx, 'default', 'old-token');
  assert.equal(calls.gets.length, 1);
});

test('a missing Secret is undefined (and remembered within the reconcile)', async () => {
  const calls: SecretCalls = { gets: [], patches: [] };
  const ctx = stepContext(syncTarget(), fakeDeps({ now: 0 }, { clusterClient: fakeSecretsClient(new Map(), calls) }));
  assert.equal(await getSecret(ctx, 'default', 'nope'), undefined);
  assert.equal(await getSecret(ctx, 'default', 'nope'), undefined);
  assert.deepEqual(calls.gets, ['default/nope']);
});

function tokenSecret(name: string, token: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default', annotations: { 'kcp.io/cluster': 'root:org', [TOKEN_SA_UID_ANNOTATION]: 'sa-uid' }, labels: { [SECRET_LABEL]: 'true' }, managedFields: [{ manager: 'x', operation: 'Apply' }] },
    type: 'Opaque',
    data: { token: Buffer.from(token).toString('base64') },
  };
}

test('the cache keeps a token Secret without its token, and any other Secret whole', () => {
  const cached = tokenSecretForm.apply(tokenSecret('t', 'eyJhbGciOi.jwt.sig'));
  assert.deepEqual(cached.data, { token: VALUE_NOT_CACHED });
  assert.equal(cached.metadata.managedFields, undefined, 'managedFields dropped as by default');
  assert.equal(cached.metadata.annotations?.[TOKEN_SA_UID_ANNOTATION], 'sa-uid', 'what the identity step compares is kept');
  // An empty value stays empty: the identity step must still see "no token" and mint one.
  const empty = tokenSecretForm.apply({ ...tokenSecret('e', ''), data: { token: '' } });
  assert.deepEqual(empty.data, { token: '' });
  const kubeconfig = { ...secret('kc', { [SECRET_LABEL]: 'true' }), data: { kubeconfig: Buffer.from('apiVersion: v1').toString('base64') } };
  assert.deepEqual(tokenSecretForm.apply(kubeconfig), kubeconfig);
  // The marker is not base64, so it cannot be mistaken for a value.
  assert.doesNotMatch(VALUE_NOT_CACHED, /^[A-Za-z0-9+/]*={0,2}$/);
});

test('a value the cache does not keep is read from the server, once per reconcile', async () => {
  const calls: SecretCalls = { gets: [], patches: [] };
  const live = tokenSecret('t', 'the-jwt');
  const server = new Map([['default/t', live]]);
  const ctx = stepContext(syncTarget(), fakeDeps({ now: 0 }, { clusterClient: fakeSecretsClient(server, calls) }, [tokenSecretForm.apply(live)]));
  assert.equal(await getSecretValue(ctx, 'default', 't', 'token'), 'the-jwt');
  assert.equal(await getSecretValue(ctx, 'default', 't', 'token'), 'the-jwt');
  assert.deepEqual(calls.gets, ['default/t']);
});

test('a value the cache keeps costs no request; a missing key or Secret is undefined', async () => {
  const calls: SecretCalls = { gets: [], patches: [] };
  const kc = { ...secret('kc', { [SECRET_LABEL]: 'true' }), data: { kubeconfig: Buffer.from('apiVersion: v1').toString('base64') } };
  const ctx = stepContext(syncTarget(), fakeDeps({ now: 0 }, { clusterClient: fakeSecretsClient(new Map(), calls) }, [kc]));
  assert.equal(await getSecretValue(ctx, 'default', 'kc', 'kubeconfig'), 'apiVersion: v1');
  assert.equal(await getSecretValue(ctx, 'default', 'kc', 'other'), undefined);
  assert.equal(await getSecretValue(ctx, 'default', 'gone', 'token'), undefined);
  assert.deepEqual(calls.gets, ['default/gone']);
});
