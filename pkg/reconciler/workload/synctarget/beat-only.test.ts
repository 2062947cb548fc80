import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncTarget } from '../../../client/index.ts';
import { beatOnlyChange } from './beat-only.ts';

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
