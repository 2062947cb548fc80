import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getCondition } from '../../../conditions/conditions.ts';
import { checkHeartbeat } from './reconcile-heartbeat.ts';
import { fakeDeps, stepContext, syncTarget } from './testing.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

test('no heartbeat yet → HeartbeatHealthy=False, no requeue', async () => {
  const clock = { now: T0 };
  const ctx = stepContext(syncTarget(), fakeDeps(clock));
  const r = await checkHeartbeat.run(ctx);
  assert.equal(r.status, 'complete');
  const c = getCondition(ctx.conditions, 'HeartbeatHealthy');
  assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'ErrorHeartbeat', 'No heartbeat yet seen']);
});

test('fresh beat → True and a requeue exactly at the moment it turns stale', async () => {
  const clock = { now: T0 };
  const deps = fakeDeps(clock);
  const st = syncTarget({ status: { lastSyncerHeartbeatTime: '2026-01-01T00:00:00Z' } });
  const ctx = stepContext(st, deps);
  const r = await checkHeartbeat.run(ctx);
  assert.deepEqual(r, { status: 'retry', afterMs: 60_000, message: 'fresh beat' });
  assert.equal(getCondition(ctx.conditions, 'HeartbeatHealthy')?.status, 'True');

  clock.now = T0 + 59_999;
  const r2 = await checkHeartbeat.run(stepContext(st, deps));
  assert.deepEqual(r2, { status: 'retry', afterMs: 1, message: 'fresh beat' });

  clock.now = T0 + 60_000;
  const ctx3 = stepContext(st, deps);
  assert.equal((await checkHeartbeat.run(ctx3)).status, 'complete');
  const c = getCondition(ctx3.conditions, 'HeartbeatHealthy');
  assert.deepEqual([c?.status, c?.message], ['False', 'No heartbeat since 2026-01-01T00:00:00Z']);
});

test('staleness is measured from when the controller saw the beat, not the syncer clock', async () => {
  const clock = { now: T0 };
  const deps = fakeDeps(clock);
  // The syncer's clock is 10 minutes ahead: its timestamp claims the future.
  const future = syncTarget({ status: { lastSyncerHeartbeatTime: '2026-01-01T00:10:00Z' } });
  const r = await checkHeartbeat.run(stepContext(future, deps));
  assert.deepEqual(r, { status: 'retry', afterMs: 60_000, message: 'fresh beat' }, 'not 11 minutes of credit');
  clock.now = T0 + 60_000;
  const ctx = stepContext(future, deps);
  await checkHeartbeat.run(ctx);
  assert.equal(getCondition(ctx.conditions, 'HeartbeatHealthy')?.status, 'False', 'the same beat seen a threshold ago is stale');
});

test('a new beat value resets the clock; the same value does not', async () => {
  const clock = { now: T0 };
  const deps = fakeDeps(clock);
  await checkHeartbeat.run(stepContext(syncTarget({ status: { lastSyncerHeartbeatTime: '2026-01-01T00:00:00Z' } }), deps));
  clock.now = T0 + 30_000;
  const r = await checkHeartbeat.run(stepContext(syncTarget({ status: { lastSyncerHeartbeatTime: '2026-01-01T00:00:30Z' } }), deps));
  assert.deepEqual(r, { status: 'retry', afterMs: 60_000, message: 'fresh beat' });
});

test('a syncer clock 5 minutes behind, beating every 20s, stays healthy (each new value is a fresh observation)', async () => {
  const clock = { now: T0 };
  const deps = fakeDeps(clock);
  const behind = T0 - 5 * 60_000;
  for (let i = 0; i < 10; i++) {
    clock.now = T0 + i * 20_000;
    const beat = new Date(behind + i * 20_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const ctx = stepContext(syncTarget({ status: { lastSyncerHeartbeatTime: beat } }), deps);
    const r = await checkHeartbeat.run(ctx);
    assert.deepEqual(r, { status: 'retry', afterMs: 60_000, message: 'fresh beat' }, `beat ${i}`);
    assert.equal(getCondition(ctx.conditions, 'HeartbeatHealthy')?.status, 'True', `beat ${i}`);
  }
});

test('a syncer clock 5 minutes ahead, beating every 20s, stays healthy and still goes stale a threshold after its last beat', async () => {
  const clock = { now: T0 };
  const deps = fakeDeps(clock);
  const ahead = T0 + 5 * 60_000;
  let last = '';
  for (let i = 0; i < 10; i++) {
    clock.now = T0 + i * 20_000;
    last = new Date(ahead + i * 20_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const r = await checkHeartbeat.run(stepContext(syncTarget({ status: { lastSyncerHeartbeatTime: last } }), deps));
    assert.deepEqual(r, { status: 'retry', afterMs: 60_000, message: 'fresh beat' }, `beat ${i}`);
  }
  clock.now = T0 + 9 * 20_000 + 60_000;
  const ctx = stepContext(syncTarget({ status: { lastSyncerHeartbeatTime: last } }), deps);
  await checkHeartbeat.run(ctx);
  assert.equal(getCondition(ctx.conditions, 'HeartbeatHealthy')?.status, 'False', 'the future timestamp earns no extra credit');
});
