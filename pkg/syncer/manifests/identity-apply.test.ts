import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScopedClient } from '../../client/clusterclient.ts';
import type { GVR } from '../../client/gvr.ts';
import type { KubeObject } from '../../client/object.ts';
import { applySyncerIdentity, SYNCER_IDENTITY_FIELD_MANAGER } from './identity-apply.ts';

interface Call {
  resource: string;
  namespace: string;
  obj: KubeObject;
  opts: { fieldManager?: string; force?: boolean };
}

/** Records apply calls; echoes the object back as the server would. */
function recordingClient(calls: Call[]): ScopedClient {
  return {
    resource: (gvr: GVR, namespace = '') => ({
      apply: async (obj: KubeObject, opts: Call['opts']) => {
        calls.push({ resource: gvr.resource, namespace, obj: structuredClone(obj), opts });
        return { ...obj, metadata: { ...obj.metadata, uid: `uid-${gvr.resource}` } };
      },
    }),
  } as unknown as ScopedClient;
}

const target = { metadata: { name: 'st', uid: 'u-1' } };

test('both callers write the identity as one field manager, owned by the SyncTarget', async () => {
  const calls: Call[] = [];
  const applied = await applySyncerIdentity(recordingClient(calls), target);
  assert.deepEqual(calls.map((c) => c.resource), ['serviceaccounts', 'clusterroles', 'clusterrolebindings']);
  assert.equal(calls[0]!.namespace, 'default');
  for (const c of calls) {
    assert.deepEqual(c.opts, { fieldManager: SYNCER_IDENTITY_FIELD_MANAGER, force: true });
    assert.deepEqual(c.obj.metadata.ownerReferences, [{ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', name: 'st', uid: 'u-1', controller: true, blockOwnerDeletion: false }]);
  }
  assert.equal(applied.find((o) => o.kind === 'ServiceAccount')?.metadata.uid, 'uid-serviceaccounts');
});

test('objects the caller reports up to date are not written', async () => {
  const calls: Call[] = [];
  const applied = await applySyncerIdentity(recordingClient(calls), target, { upToDate: (d) => d.kind !== 'ClusterRole' });
  assert.deepEqual(calls.map((c) => c.resource), ['clusterroles']);
  assert.equal(applied.length, 1);
});
