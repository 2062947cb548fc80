import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../client/object.ts';
import { getSecret, SECRET_LABEL } from './secrets.ts';
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
