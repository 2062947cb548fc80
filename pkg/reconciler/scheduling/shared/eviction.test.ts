// Eviction and fallback verdicts over literal SyncTargets and a fixed clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncTarget } from '../../../client/index.ts';
import { evictionOf, fallbackOf, schedulingView, syncerDownSince } from './eviction.ts';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const GRACE = 5_000;

function st(heartbeat: 'True' | 'False', since = '2026-06-01T00:00:00Z', spec: Partial<SyncTarget['spec']> = {}): SyncTarget {
  return {
    metadata: { name: 'a', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { cluster: 'a', ...spec },
    status: { conditions: [{ type: 'HeartbeatHealthy', status: heartbeat, lastTransitionTime: since }, { type: 'Ready', status: heartbeat, lastTransitionTime: since }] },
  };
}

test('a drained SyncTarget evicts at spec.evictAfter, not before', () => {
  const draining = st('True', undefined, { evictAfter: '2026-06-01T00:00:10Z' });
  assert.deepEqual(evictionOf(draining, T0, GRACE), { due: false, at: T0 + 10_000 });
  const due = evictionOf(draining, T0 + 10_000, GRACE);
  assert.equal(due.due, true);
  assert.match(due.due ? due.reason : '', /spec\.evictAfter 2026-06-01T00:00:10Z has passed/);
  assert.deepEqual(evictionOf(st('True'), T0, GRACE), { due: false }, 'healthy and not draining: nothing to wait for');
});

test('a syncer down evicts once the grace has passed since HeartbeatHealthy left True', () => {
  const down = st('False', '2026-06-01T00:00:00Z');
  assert.equal(syncerDownSince(down), T0);
  assert.deepEqual(evictionOf(down, T0 + 4_999, GRACE), { due: false, at: T0 + GRACE });
  assert.equal(evictionOf(down, T0 + GRACE, GRACE).due, true);
  // HeartbeatHealthy never written: Ready stands in.
  const readyOnly: SyncTarget = { metadata: { name: 'b' }, spec: { cluster: 'b' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
  assert.equal(syncerDownSince(readyOnly), undefined);
});

test('the fallback: SyncTarget gone at once; syncer down after the grace from the departure; a live syncer never', () => {
  assert.equal(fallbackOf(undefined, T0, T0, GRACE).due, true);
  assert.deepEqual(fallbackOf(st('True'), T0 - 3_600_000, T0, GRACE), { due: false }, 'a beating syncer cleans up itself');
  // Down for an hour, departure 2s old: due 3s later.
  const down = st('False', '2026-05-31T23:00:00Z');
  assert.deepEqual(fallbackOf(down, T0 - 2_000, T0, GRACE), { due: false, at: T0 + 3_000 });
  assert.equal(fallbackOf(down, T0 - 5_000, T0, GRACE).due, true);
  assert.equal(fallbackOf(down, NaN, T0, GRACE).due, true, 'an unreadable time is old');
});

test('a heartbeat alone does not change the scheduling view; a transition does', () => {
  const a = st('True');
  const beat = { ...a, status: { ...a.status, lastSyncerHeartbeatTime: '2026-06-01T00:00:20Z' } };
  assert.deepEqual(schedulingView(a), schedulingView(beat));
  assert.notDeepEqual(schedulingView(a), schedulingView(st('False')));
  assert.notDeepEqual(schedulingView(a), schedulingView(st('True', undefined, { unschedulable: true })));
});
