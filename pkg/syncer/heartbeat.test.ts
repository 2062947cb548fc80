import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../apierrors/errors.ts';
import { silentLogger } from '../log/logger.ts';
import { FakeSyncTargets, syncTarget } from './fake-synctargets.test-helper.ts';
import { type BeatOutcome, HeartbeatLoop, type HeartbeatOptions } from './heartbeat.ts';
import { UidMismatchError } from './synctarget-access.ts';
import type { FakeClock } from '../clock/fake.ts';
import { virtualClock } from './testing.ts';

function loop(fake: FakeSyncTargets, clock: FakeClock, extra: Partial<HeartbeatOptions> = {}) {
  const outcomes: BeatOutcome[] = [];
  const hb = new HeartbeatLoop(
    { syncTargets: fake, name: 'edge-1', uid: 'u1', periodMs: 20_000, clock, logger: silentLogger(), random: () => 0.5, onBeat: (o) => outcomes.push(o), ...extra },
    fake.obj!,
  );
  return { hb, outcomes };
}

/** Run the loop until `n` sleeps happened. */
async function runFor(hb: HeartbeatLoop, clock: FakeClock, n: number): Promise<void> {
  const ac = new AbortController();
  clock.onSleep = (_ms, count) => {
    if (count >= n) ac.abort();
  };
  await hb.run(ac.signal);
}

describe('HeartbeatLoop', () => {
  test('first beat on a status-less SyncTarget creates /status guarded by resourceVersion', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1'));
    const clock = virtualClock(Date.UTC(2026, 0, 1, 0, 0, 0, 500));
    const { hb } = loop(fake, clock);
    assert.deepEqual(hb.buildPatch(new Date(clock.now())), [
      { op: 'test', path: '/metadata/uid', value: 'u1' },
      { op: 'test', path: '/metadata/resourceVersion', value: '1' },
      { op: 'add', path: '/status', value: {} },
      { op: 'add', path: '/status/lastSyncerHeartbeatTime', value: '2026-01-01T00:00:00Z' },
    ]);
    const r = await hb.beat();
    assert.equal(r.ok, true);
    assert.equal(fake.obj!.status?.lastSyncerHeartbeatTime, '2026-01-01T00:00:00Z');
    // Now that status exists, later beats only test the uid and set the time.
    clock.step(20_000);
    assert.deepEqual(hb.buildPatch(new Date(clock.now())), [
      { op: 'test', path: '/metadata/uid', value: 'u1' },
      { op: 'add', path: '/status/lastSyncerHeartbeatTime', value: '2026-01-01T00:00:20Z' },
    ]);
  });

  test('syncedResources are sent once when they differ from what kplane has', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    const clock = virtualClock(Date.UTC(2026, 0, 1));
    const { hb } = loop(fake, clock);
    const resources = [{ resource: 'configmaps', versions: ['v1'], state: 'Accepted' as const }];
    hb.setSyncedResources(resources);
    assert.deepEqual(hb.buildPatch(new Date(clock.now())).at(-1), { op: 'add', path: '/status/syncedResources', value: resources });
    assert.equal((await hb.beat()).ok, true);
    assert.deepEqual(fake.obj!.status?.syncedResources, resources);
    assert.ok(hb.buildPatch(new Date(clock.now())).every((op) => op.path !== '/status/syncedResources'), 'not repeated once stored');
    hb.setSyncedResources([{ resource: 'configmaps', state: 'Incompatible', message: 'gone' }]);
    assert.equal(hb.buildPatch(new Date(clock.now())).at(-1)?.path, '/status/syncedResources');
  });

  test('an existing status (with conditions) is never replaced', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] }));
    const clock = virtualClock();
    const { hb } = loop(fake, clock);
    assert.equal((await hb.beat()).ok, true);
    assert.equal(fake.obj!.status?.conditions?.[0]?.type, 'Ready');
    assert.ok(fake.patches[0]!.every((op) => op.path !== '/status'));
  });

  test('beats every period and the timestamp advances', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    const clock = virtualClock();
    const { hb, outcomes } = loop(fake, clock);
    await runFor(hb, clock, 3);
    assert.equal(outcomes.length, 3);
    assert.ok(outcomes.every((o) => o.ok));
    assert.deepEqual(clock.sleeps.map((ms) => Math.round(ms / 1000)), [20, 20, 20]);
    const times = fake.patches.map((p) => p.find((op) => op.path === '/status/lastSyncerHeartbeatTime')!.value);
    assert.deepEqual(new Set(times).size, 3);
  });

  test('reports capacity and allocatable once, not on every beat', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    const clock = virtualClock();
    const { hb } = loop(fake, clock, { capacity: { cpu: '8', memory: '32Gi' } });
    await runFor(hb, clock, 2);
    assert.deepEqual(fake.obj!.status?.capacity, { cpu: '8', memory: '32Gi' });
    assert.deepEqual(fake.obj!.status?.allocatable, { cpu: '8', memory: '32Gi' });
    assert.ok(fake.patches[0]!.some((op) => op.path === '/status/capacity'));
    assert.ok(!fake.patches[1]!.some((op) => op.path === '/status/capacity'));
  });

  test('transient failures back off exponentially with jitter, capped at the period', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    fake.failPatches = Array.from({ length: 8 }, () => new StatusError('ServiceUnavailable', 'down'));
    const clock = virtualClock();
    const { hb, outcomes } = loop(fake, clock, { random: () => 1 - Number.EPSILON });
    await runFor(hb, clock, 9);
    // equal jitter with random≈1: ceiling each time (500ms doubling, capped at 20s), then the period.
    assert.deepEqual(clock.sleeps.map((ms) => Math.round(ms)), [500, 1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000]);
    assert.equal(outcomes.filter((o) => o.ok).length, 1);
  });

  test('jitter spreads retries: delays lie in [ceiling/2, ceiling]', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    fake.failPatches = [new StatusError('InternalError', 'boom'), new StatusError('InternalError', 'boom')];
    const clock = virtualClock();
    const { hb } = loop(fake, clock, { random: () => 0 });
    await runFor(hb, clock, 2);
    assert.deepEqual(clock.sleeps, [250, 500]);
  });

  for (const [reason, kind] of [['Unauthorized', 'unauthorized'], ['Forbidden', 'forbidden'], ['NotFound', 'not-found']] as const) {
    test(`${reason} is not hammered: long pause`, async () => {
      const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
      fake.failPatches = [new StatusError(reason, 'no'), new StatusError(reason, 'no')];
      const clock = virtualClock();
      const { hb, outcomes } = loop(fake, clock, { authFailureBackoffMs: 60_000 });
      await runFor(hb, clock, 2);
      assert.deepEqual(clock.sleeps, [60_000, 60_000]);
      assert.equal(outcomes[0]!.ok ? '' : outcomes[0]!.kind, kind);
      // The pause is decided with the failure (and logged as retryInMs): the one the loop took.
      assert.deepEqual(outcomes.map((o) => (o.ok ? undefined : o.retryInMs)), clock.sleeps);
    });
  }

  test('a failed uid test on a recreated SyncTarget stops the loop with UidMismatchError', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    const clock = virtualClock();
    const { hb } = loop(fake, clock);
    assert.equal((await hb.beat()).ok, true);
    fake.obj = syncTarget('edge-1', 'u2', {});
    await assert.rejects(runFor(hb, clock, 5), UidMismatchError);
  });

  test('a stale view (status removed meanwhile) is refreshed and the retry succeeds', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    const clock = virtualClock();
    const { hb } = loop(fake, clock);
    // Someone recreated status-less state behind our back with the same uid.
    fake.obj = syncTarget('edge-1', 'u1');
    const first = await hb.beat();
    assert.equal(first.ok ? 'ok' : first.kind, 'stale-view');
    assert.equal(hb.nextDelay(first), 500);
    assert.equal((await hb.beat()).ok, true);
    assert.ok(fake.obj.status?.lastSyncerHeartbeatTime);
  });

  test('stop between beats: an aborted loop sends nothing more', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    const clock = virtualClock();
    const { hb } = loop(fake, clock);
    const ac = new AbortController();
    ac.abort();
    await hb.run(ac.signal);
    assert.equal(fake.patches.length, 0);
  });
});

describe('HeartbeatLoop: the ResourcesSynced condition', () => {
  const others = [{ type: 'Ready', status: 'True' as const, lastTransitionTime: '2026-01-01T00:00:00Z' }];

  test('appended beside the reconciler\'s conditions, replaced in place, not resent when shown', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', { conditions: structuredClone(others) }));
    const clock = virtualClock(Date.UTC(2026, 0, 1, 0, 0, 10));
    const { hb } = loop(fake, clock);
    hb.setSyncCondition({ type: 'ResourcesSynced', status: 'True', reason: 'Synced' });
    assert.deepEqual(hb.buildPatch(new Date(clock.now())).at(-1), { op: 'add', path: '/status/conditions/-', value: { type: 'ResourcesSynced', status: 'True', reason: 'Synced', lastTransitionTime: '2026-01-01T00:00:10Z' } });
    assert.equal((await hb.beat()).ok, true);
    assert.deepEqual(fake.obj!.status?.conditions?.map((c) => c.type), ['Ready', 'ResourcesSynced']);
    assert.ok(hb.buildPatch(new Date(clock.now())).every((op) => !op.path.startsWith('/status/conditions')), 'not resent');

    clock.step(5_000);
    hb.setSyncCondition({ type: 'ResourcesSynced', status: 'False', severity: 'Error', reason: 'PhysicalClusterUnreachable', message: 'down' });
    assert.deepEqual(hb.buildPatch(new Date(clock.now())).slice(-2), [
      { op: 'test', path: '/status/conditions/1/type', value: 'ResourcesSynced' },
      { op: 'replace', path: '/status/conditions/1', value: { type: 'ResourcesSynced', status: 'False', severity: 'Error', reason: 'PhysicalClusterUnreachable', message: 'down', lastTransitionTime: '2026-01-01T00:00:15Z' } },
    ]);
    assert.equal((await hb.beat()).ok, true);
    assert.equal(fake.obj!.status?.conditions?.[0]?.type, 'Ready', 'the other condition untouched');
    assert.equal(fake.obj!.status?.conditions?.[1]?.reason, 'PhysicalClusterUnreachable');
    // Same status, new message: the transition time stays.
    clock.step(5_000);
    hb.setSyncCondition({ type: 'ResourcesSynced', status: 'False', severity: 'Error', reason: 'PhysicalClusterUnreachable', message: 'still down' });
    assert.equal((hb.buildPatch(new Date(clock.now())).at(-1)!.value as { lastTransitionTime: string }).lastTransitionTime, '2026-01-01T00:00:15Z');
  });

  test('a status without conditions gets the list, guarded by the resourceVersion', () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    const clock = virtualClock(Date.UTC(2026, 0, 1));
    const { hb } = loop(fake, clock);
    hb.setSyncCondition({ type: 'ResourcesSynced', status: 'True', reason: 'Synced' });
    assert.deepEqual(hb.buildPatch(new Date(clock.now())).slice(-2), [
      { op: 'test', path: '/metadata/resourceVersion', value: '1' },
      { op: 'add', path: '/status/conditions', value: [{ type: 'ResourcesSynced', status: 'True', reason: 'Synced', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    ]);
  });
});

test('the pause after a beat is the period less its latency, never more than a period', () => {
  const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
  const { hb } = loop(fake, virtualClock());
  const at = new Date(0);
  assert.equal(hb.nextDelay({ ok: true, at, latencyMs: 150 }), 19_850);
  assert.equal(hb.nextDelay({ ok: true, at, latencyMs: 25_000 }), 0);
  // A wall clock stepped back while the beat ran.
  assert.equal(hb.nextDelay({ ok: true, at, latencyMs: -5_000 }), 20_000);
});
