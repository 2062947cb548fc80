import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncTarget } from '../../../client/index.ts';
import { beatOnlyChange, verdictOnlyChange } from './beat-only.ts';
import { manualDeployCondition } from './reconcile-deploy.ts';

const base: SyncTarget = {
  apiVersion: 'workload.kcp.io/v1alpha1',
  kind: 'SyncTarget',
  metadata: { name: 'edge-1', resourceVersion: '10', managedFields: [{ manager: 'syncer', operation: 'Update', time: '2026-12-01T00:00:00Z' }] },
  spec: { cluster: 'edge-1' },
  status: { lastSyncerHeartbeatTime: '2026-12-01T00:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-01T00:00:00Z' }] },
} as SyncTarget;

function next(edit: (st: SyncTarget) => void): SyncTarget {
  const st = structuredClone(base);
  st.metadata.resourceVersion = '11';
  st.status!.lastSyncerHeartbeatTime = '2026-12-01T00:00:20Z';
  (st.metadata.managedFields as { time: string }[])[0]!.time = '2026-12-01T00:00:20Z';
  edit(st);
  return st;
}

test('another beat alone is beat-only', () => {
  assert.equal(beatOnlyChange(base, next(() => {})), true);
});

test('the first beat (unless the heartbeat controller writes it), and a beat with anything else, is not', () => {
  const noBeat = structuredClone(base);
  delete noBeat.status!.lastSyncerHeartbeatTime;
  assert.equal(beatOnlyChange(noBeat, next(() => {})), false, 'first beat: SyncerDeployed turns True');
  assert.equal(beatOnlyChange(noBeat, next(() => {}), { firstBeat: true }), true, 'first beat, written by the heartbeat controller beside this one');
  assert.equal(beatOnlyChange(base, noBeat, { firstBeat: true }), false, 'a beat removed is no beat');
  assert.equal(beatOnlyChange(base, next((st) => { st.status!.conditions![0]!.status = 'False'; })), false, 'a condition changed');
  assert.equal(beatOnlyChange(base, next((st) => { st.status!.capacity = { cpu: '8' }; })), false, 'capacity reported');
  assert.equal(beatOnlyChange(base, next((st) => { st.spec!.unschedulable = true; })), false, 'spec changed');
  assert.equal(beatOnlyChange(base, next((st) => { st.metadata.labels = { a: 'b' }; })), false, 'labels changed');
  assert.equal(beatOnlyChange(base, next((st) => { st.metadata.deletionTimestamp = '2026-12-01T00:00:30Z'; })), false, 'deletion started');
});

/** A hand-deployed target as the heartbeat controller leaves it after a verdict. */
function judged(heartbeat: 'True' | 'False', opts: { beat?: boolean } = {}): SyncTarget {
  const st = structuredClone(base);
  st.metadata.resourceVersion = heartbeat === 'True' ? '20' : '21';
  if (opts.beat === false) delete st.status!.lastSyncerHeartbeatTime;
  const deployed = manualDeployCondition(st);
  st.status!.phase = heartbeat === 'True' ? 'Ready' : 'NotReady';
  st.status!.conditions = [
    { type: 'HeartbeatHealthy', status: heartbeat, reason: heartbeat === 'True' ? 'Healthy' : 'Stale', lastTransitionTime: '2026-12-01T00:00:0' + (heartbeat === 'True' ? '1' : '2') + 'Z' },
    { type: 'Ready', status: heartbeat, lastTransitionTime: '2026-12-01T00:00:00Z' },
    { type: 'SyncerDeployed', status: deployed.status, reason: deployed.reason, message: deployed.message, lastTransitionTime: '2026-12-01T00:00:00Z' },
    { type: 'Valid', status: 'True', lastTransitionTime: '2026-12-01T00:00:00Z' },
  ] as never;
  return st;
}

test('the heartbeat controller\'s verdict write (HeartbeatHealthy, Ready, phase) is verdict-only', () => {
  assert.equal(verdictOnlyChange(judged('True'), judged('False')), true, 'going stale');
  assert.equal(verdictOnlyChange(judged('False'), judged('True')), true, 'recovering');
});

test('a first beat\'s write, SyncerDeployed turning True for a target deployed by hand, is verdict-only', () => {
  const before = judged('False', { beat: false });
  assert.equal(before.status!.conditions!.find((c) => c.type === 'SyncerDeployed')?.status, 'False');
  assert.equal(verdictOnlyChange(before, judged('True')), true);
});

test('a first beat by Lease: SyncerDeployed turning True with no status beat is verdict-only when the Lease is known', () => {
  const before = judged('False', { beat: false });
  const after = judged('True', { beat: false });
  // judged() derived SyncerDeployed from status alone; the heartbeat controller saw the Lease.
  const deployed = manualDeployCondition(after, true);
  Object.assign(after.status!.conditions!.find((c) => c.type === 'SyncerDeployed')!, { status: deployed.status, reason: deployed.reason, message: deployed.message });
  assert.equal(verdictOnlyChange(before, after, () => true), true, 'the Lease connected the syncer');
  assert.equal(verdictOnlyChange(before, after), false, 'status alone says no syncer connected: this controller must look');
});

test('anything else in the same write is not verdict-only', () => {
  const other = (edit: (st: SyncTarget) => void) => {
    const st = judged('False');
    edit(st);
    return verdictOnlyChange(judged('True'), st);
  };
  assert.equal(other((st) => { st.status!.conditions!.find((c) => c.type === 'Valid')!.status = 'False'; }), false, 'another condition');
  assert.equal(other((st) => { st.spec!.unschedulable = true; }), false, 'spec');
  assert.equal(other((st) => { st.metadata.labels = { a: 'b' }; }), false, 'labels');
  assert.equal(other((st) => { st.metadata.deletionTimestamp = '2026-12-01T00:00:30Z'; }), false, 'deletion started');
  assert.equal(other((st) => { st.status!.syncerIdentity = { serviceAccount: 'x', clusterRole: 'x', clusterRoleBinding: 'x' }; }), false, 'syncer identity');
  // SyncerDeployed that is not what the beat implies (set by someone else) is this controller's to correct.
  assert.equal(other((st) => { st.status!.conditions!.find((c) => c.type === 'SyncerDeployed')!.status = 'False'; }), false, 'SyncerDeployed not as the beat implies');
  // A target kplane deploys itself: SyncerDeployed is the deploy step's, never the heartbeat's.
  const deployed = (st: SyncTarget) => { st.spec!.kubeconfigSecretRef = { namespace: 'default', name: 'kc' }; };
  const a = judged('True'); deployed(a);
  const b = judged('True'); deployed(b);
  b.status!.conditions!.find((c) => c.type === 'SyncerDeployed')!.reason = 'Unavailable';
  assert.equal(verdictOnlyChange(a, b), false, 'SyncerDeployed of a deployed target');
});
