import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncTarget } from '../synctarget/testing.ts';
import { HeartbeatTracker } from './heartbeat-tracker.ts';
import { heartbeatOf, judgeHeartbeat } from './judge.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const KEY = 'root:org|edge';
const STATUS_BEAT = '2026-01-01T00:00:00Z';
const LEASE_BEAT = '2026-01-01T00:00:05.123456Z';

test('heartbeatOf: a beat by status, by Lease, or both (the later time is the one shown)', () => {
  const st = syncTarget({ status: { lastSyncerHeartbeatTime: STATUS_BEAT } });
  assert.equal(heartbeatOf({}, syncTarget()), undefined);
  assert.deepEqual(heartbeatOf({}, st), { status: STATUS_BEAT, at: STATUS_BEAT });
  assert.deepEqual(heartbeatOf({ leaseOf: () => ({ spec: { renewTime: LEASE_BEAT } }) }, syncTarget()), { lease: LEASE_BEAT, at: LEASE_BEAT });
  assert.deepEqual(heartbeatOf({ leaseOf: () => ({ spec: { renewTime: LEASE_BEAT } }) }, st), { status: STATUS_BEAT, lease: LEASE_BEAT, at: LEASE_BEAT });
  // A Lease never renewed (no renewTime) is no beat.
  assert.deepEqual(heartbeatOf({ leaseOf: () => ({ spec: {} }) }, st), { status: STATUS_BEAT, at: STATUS_BEAT });
});

test('tracker: a new value on either channel is a beat; a value that disappears is not', () => {
  const t = new HeartbeatTracker();
  assert.equal(t.observe(KEY, { status: 'a' }, 100), 100);
  assert.equal(t.observe(KEY, { status: 'a' }, 200), 100, 'the same value is no beat');
  assert.equal(t.observe(KEY, { status: 'a', lease: 'x' }, 300), 300, 'a first Lease renewal is a beat');
  assert.equal(t.observe(KEY, { status: 'a', lease: 'x' }, 400), 300);
  assert.equal(t.observe(KEY, { status: 'a', lease: 'y' }, 500), 500, 'a renewal is a beat');
  // The Lease deleted: status alone is what it was, and no new beat is observed.
  assert.equal(t.observe(KEY, { status: 'a' }, 600), 500);
  // Recreated with the value it had: not a change on that channel.
  assert.equal(t.observe(KEY, { status: 'a', lease: 'y' }, 700), 500);
  assert.equal(t.observe(KEY, { status: 'b', lease: 'y' }, 800), 800, 'a status beat still counts');
  t.forget(KEY);
  assert.equal(t.size, 0);
});

test('judgeHeartbeat: Lease renewals alone keep a target healthy; their absence makes it stale on the threshold', () => {
  let renewTime = LEASE_BEAT;
  const judge = { heartbeats: new HeartbeatTracker(), thresholdMs: 10_000, leaseOf: () => ({ spec: { renewTime } }) };
  const st = syncTarget({ status: { lastSyncerHeartbeatTime: STATUS_BEAT } });
  assert.equal(judgeHeartbeat(judge, KEY, heartbeatOf(judge, st), T0).condition.status, 'True');
  renewTime = '2026-01-01T00:00:15.000001Z';
  const fresh = judgeHeartbeat(judge, KEY, heartbeatOf(judge, st), T0 + 9_000);
  assert.equal(fresh.condition.status, 'True');
  assert.equal(fresh.recheckAfterMs, 10_000, 'the renewal observed at T0+9s moves the deadline to T0+19s');
  const stale = judgeHeartbeat(judge, KEY, heartbeatOf(judge, st), T0 + 19_000);
  assert.equal(stale.condition.status, 'False');
  assert.match(stale.condition.message ?? '', /No heartbeat since 2026-01-01T00:00:15.000001Z/);
});
