import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderSyncerIdentity, syncerIdentityNames } from '../../../syncer/manifests/identity.ts';
import { ensureIdentity, identityDrifted, syncerViewURL } from './reconcile-identity.ts';
import { TOKEN_SA_UID_ANNOTATION } from './secrets.ts';
import { fakeDeps, listerOf, stepContext, syncTarget } from './testing.ts';

test('syncerViewURL: the syncer view root under kplane\'s URL', () => {
  assert.equal(syncerViewURL('https://127.0.0.1:6443', 'root:org', 'edge-1', 'u-1'), 'https://127.0.0.1:6443/services/syncer/root:org/edge-1/u-1');
  assert.equal(syncerViewURL('https://kplane.example.com/', 'root', 'e', 'u'), 'https://kplane.example.com/services/syncer/root/e/u');
  assert.equal(syncerViewURL('https://proxy.example.com/kplane/clusters/root:org', 'root:org', 'e', 'u'), 'https://proxy.example.com/kplane/services/syncer/root:org/e/u');
});

test('asking for Lease heartbeats (spec.syncer.heartbeatLease) drifts the ClusterRole: the identity step grants the Lease', () => {
  const st = { metadata: { name: 'edge', uid: 'uid-1' } };
  const [, role] = renderSyncerIdentity(st);
  const [, withLease] = renderSyncerIdentity({ ...st, spec: { syncer: { heartbeatLease: true } } });
  assert.equal(identityDrifted(role!, role), false);
  assert.equal(identityDrifted(withLease!, role), true, 'the live role lacks the Lease rule');
  assert.equal(identityDrifted(role!, withLease), true, 'and turning it off takes the rule away');
});

/** A client that records the identity step's calls; applies answer with a rising resourceVersion. */
function recordingClient(calls: string[]) {
  let rv = 100;
  const applied = (obj: Record<string, unknown> & { metadata: Record<string, unknown> }) => ({ ...obj, metadata: { ...obj.metadata, uid: `uid-${obj['kind']}`, resourceVersion: String(++rv) } });
  const resource = (kind: string) => ({
    apply: async (obj: Record<string, unknown> & { metadata: Record<string, unknown> }) => (calls.push(`apply ${kind}`), applied(obj)),
    delete: async (name: string, opts: { preconditions?: { uid?: string } }) => (calls.push(`delete ${kind} ${name} uid=${opts.preconditions?.uid}`), {}),
    get: async () => {
      calls.push(`get ${kind}`);
      throw new Error('the identity step must not read from the server');
    },
  });
  return {
    withSignal() {
      return this;
    },
    cluster: () => ({
      resource: (gvr: { resource: string }) => resource(gvr.resource),
      secrets: () => resource('secrets'),
      serviceAccounts: () => resource('serviceaccounts'),
      createToken: async () => (calls.push('token'), 'jwt'),
    }),
  } as never;
}

/** A target kplane deploys itself: the only kind that gets a token Secret. */
const deployedByKplane = () => syncTarget({ spec: { cluster: 'edge-cluster', cells: { region: 'eu' }, kubeconfigSecretRef: { namespace: 'default', name: 'phys' } } });

test('the token Secret: minted once for a new target with no read of the server, not again while the cache lags, and the cache rules once it caught up', async () => {
  const calls: string[] = [];
  const clock = { now: 0 };
  const st = deployedByKplane();
  const deps = fakeDeps(clock, { clusterClient: recordingClient(calls) });
  const run = async () => {
    const ctx = stepContext(st, deps);
    ctx.client = deps.clusterClient;
    const r = await ensureIdentity.run(ctx);
    assert.equal(r.status, 'complete', JSON.stringify(r));
    return ctx;
  };
  await run();
  assert.deepEqual(calls, ['apply serviceaccounts', 'apply clusterroles', 'apply clusterrolebindings', 'token', 'apply secrets']);
  const minted = deps.mintedTokens.get('root:org|edge');
  assert.ok(minted);

  // The next reconcile, before the Secret informer delivered the write: no second token.
  calls.length = 0;
  await run();
  assert.deepEqual(calls.filter((c) => c.includes('secrets') || c === 'token'), []);

  // The cache shows an older version (someone else's write before ours): still ours wins.
  const names = syncerIdentityNames('edge', 'uid-1');
  const secret = (rv: string, saUid: string) => ({
    apiVersion: 'v1', kind: 'Secret', data: { token: 'x' },
    metadata: { name: `${names.serviceAccount}-token`, namespace: names.namespace, resourceVersion: rv, annotations: { 'kcp.io/cluster': 'root:org', [TOKEN_SA_UID_ANNOTATION]: saUid } },
  });
  deps.listers.secrets = listerOf([secret('1', 'uid-other')]) as never;
  calls.length = 0;
  await run();
  assert.equal(calls.includes('token'), false);

  // Caught up: the entry goes and the cached Secret is trusted.
  deps.listers.secrets = listerOf([secret(minted.resourceVersion, minted.saUid)]) as never;
  calls.length = 0;
  await run();
  assert.equal(calls.includes('token'), false);
  assert.equal(deps.mintedTokens.has('root:org|edge'), false);

  // A later write by someone else with another ServiceAccount's uid: minted again.
  deps.listers.secrets = listerOf([secret('999', 'uid-other')]) as never;
  calls.length = 0;
  await run();
  assert.deepEqual(calls.filter((c) => c.includes('secrets') || c === 'token'), ['token', 'apply secrets']);
});

test('a target deployed by hand gets no token Secret: its identity is recorded without one, and a token Secret this controller wrote before is deleted', async () => {
  const calls: string[] = [];
  const deps = fakeDeps({ now: 0 }, { clusterClient: recordingClient(calls) });
  const names = syncerIdentityNames('edge', 'uid-1');
  const run = async (st = syncTarget()) => {
    const ctx = stepContext(st, deps);
    ctx.client = deps.clusterClient;
    const r = await ensureIdentity.run(ctx);
    assert.equal(r.status, 'complete', JSON.stringify(r));
    return ctx;
  };
  const ctx = await run();
  assert.deepEqual(calls, ['apply serviceaccounts', 'apply clusterroles', 'apply clusterrolebindings'], 'no TokenRequest, no Secret');
  assert.deepEqual(ctx.draft.status?.syncerIdentity, { serviceAccount: names.serviceAccount, namespace: names.namespace, clusterRole: names.clusterRole, clusterRoleBinding: names.clusterRoleBinding });
  assert.equal(ctx.conditions.find((c) => c.type === 'SyncerAuthorized')?.status, 'True');

  // An installation from before: the owned token Secret goes, guarded by its uid.
  const tokenSecret = (ownerUid: string) => ({
    apiVersion: 'v1', kind: 'Secret', data: { token: 'x' },
    metadata: { name: `${names.serviceAccount}-token`, namespace: names.namespace, uid: 'secret-uid', resourceVersion: '5', annotations: { 'kcp.io/cluster': 'root:org', [TOKEN_SA_UID_ANNOTATION]: 'sa-uid' }, ownerReferences: [{ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', name: 'edge', uid: ownerUid, controller: true }] },
  });
  deps.listers.secrets = listerOf([tokenSecret('uid-1')]) as never;
  deps.mintedTokens.set('root:org|edge', { secret: `${names.namespace}/${names.serviceAccount}-token`, saUid: 'sa-uid', resourceVersion: '5' });
  calls.length = 0;
  const after = await run({ ...syncTarget(), status: { syncerIdentity: { ...ctx.draft.status!.syncerIdentity!, tokenSecret: `${names.serviceAccount}-token` } } });
  assert.deepEqual(calls.filter((c) => c.startsWith('delete')), [`delete secrets ${names.serviceAccount}-token uid=secret-uid`]);
  assert.equal(after.draft.status?.syncerIdentity?.tokenSecret, undefined, 'status no longer names it');
  assert.equal(deps.mintedTokens.has('root:org|edge'), false);

  // A Secret under that name that another SyncTarget (an older one of the same name) owns is not ours to delete.
  deps.listers.secrets = listerOf([tokenSecret('uid-old')]) as never;
  calls.length = 0;
  await run();
  assert.deepEqual(calls.filter((c) => c.startsWith('delete')), []);

  // Given a kubeconfigSecretRef later, the target gets its token.
  deps.listers.secrets = listerOf([]) as never;
  calls.length = 0;
  const deployed = await run(deployedByKplane());
  assert.deepEqual(calls.slice(-2), ['token', 'apply secrets']);
  assert.equal(deployed.draft.status?.syncerIdentity?.tokenSecret, `${names.serviceAccount}-token`);
});
