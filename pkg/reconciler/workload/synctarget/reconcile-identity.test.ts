import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderSyncerIdentity } from '../../../syncer/manifests/identity.ts';
import { identityDrifted, syncerViewURL } from './reconcile-identity.ts';

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
