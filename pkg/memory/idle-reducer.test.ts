import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import { newLogger } from '../log/logger.ts';
import { decide, DEFAULT_POLICY, IdleMemoryReducer, initialState, isolateCollections, type MemorySample, type ReducerAction, type ReducerState } from './idle-reducer.ts';

const MiB = 2 ** 20;
const policy = DEFAULT_POLICY;
const START = initialState({ committedBytes: 100 * MiB });

/** Run the policy over samples; the action of each tick. */
function run(samples: MemorySample[], start: ReducerState = START): ReducerAction[] {
  let state = start;
  return samples.map((sample) => {
    const out = decide(policy, state, sample);
    state = out.state;
    return out.action;
  });
}

/** Tick i, 5 s apart, starting after the forced-collection interval. */
const tick = (i: number, utilization: number, committedMiB: number): MemorySample => ({ utilization, committedBytes: committedMiB * MiB, nowMs: policy.minForcedIntervalMs + i * 5_000 });
const settleTicks = policy.settleMs / 5_000;

test('a grown heap is nudged after two quiet windows, never during the burst', () => {
  const samples = [tick(0, 0.9, 400), tick(1, 0.95, 700), tick(2, 0.05, 700), tick(3, 0.02, 700), tick(4, 0.01, 700)];
  assert.deepEqual(run(samples), ['none', 'none', 'none', 'nudge', 'nudge']);
});

test('one busy window among quiet ones starts the count again', () => {
  const samples = [tick(0, 0.05, 400), tick(1, 0.6, 400), tick(2, 0.05, 400), tick(3, 0.05, 400)];
  assert.deepEqual(run(samples), ['none', 'none', 'none', 'nudge']);
});

test('a heap that did not grow enough is left alone, however quiet', () => {
  // 100 MiB baseline: growth must reach max(32 MiB, 25 MiB).
  assert.deepEqual(run(Array.from({ length: 10 }, (_, i) => tick(i, 0, 131))), Array(10).fill('none'));
  assert.deepEqual(run([tick(0, 0, 132), tick(1, 0, 132)]), ['none', 'nudge']);
});

test('V8 reducing the heap below the threshold ends the attempt', () => {
  const samples = [tick(0, 0, 700), tick(1, 0, 700), tick(2, 0, 700), tick(3, 0, 120), tick(4, 0, 120)];
  assert.deepEqual(run(samples), ['none', 'nudge', 'nudge', 'none', 'none']);
});

test('growth counts from the lowest committed heap V8 reached by itself', () => {
  const samples = [tick(0, 0.9, 60), tick(1, 0.9, 95), tick(2, 0, 95), tick(3, 0, 95)];
  assert.deepEqual(run(samples), ['none', 'none', 'none', 'nudge'], '60 → 95 MiB is more than 32 MiB of growth');
});

test('a heap still grown settleMs after the first nudge is forced back once', () => {
  // The burst's heap at the first two quiet ticks (the second nudges), then what V8 made of it.
  const attempt = (committedMiB: number) => run([tick(0, 0, 700), tick(1, 0, 700), ...Array.from({ length: settleTicks + 4 }, (_, i) => tick(i + 2, 0, committedMiB))]);
  const stuck = attempt(700);
  assert.deepEqual(stuck.slice(0, 3), ['none', 'nudge', 'nudge']);
  assert.equal(stuck.indexOf('force'), 1 + settleTicks, `forced ${policy.settleMs} ms after the first nudge`);
  assert.equal(stuck[2 + settleTicks], 'force', 'and a second pass at the next quiet tick (it compacts what the first left sparse)');
  assert.equal(stuck.filter((a) => a === 'force').length, 2, 'then nothing within minForcedIntervalMs');
  assert.equal(attempt(300).indexOf('force'), 1 + settleTicks, 'V8 reduced it, but not back within the threshold');
});

test('a busy tick after a forced collection cancels its second pass', () => {
  const forced = { ...START, lastForcedMs: 0, secondPassDue: true };
  const busy = decide(policy, forced, { utilization: 0.9, committedBytes: 300 * MiB, nowMs: 5_000 });
  assert.equal(busy.action, 'none');
  assert.equal(busy.state.secondPassDue, false);
  assert.equal(decide(policy, busy.state, { utilization: 0, committedBytes: 300 * MiB, nowMs: 10_000 }).action, 'none', 'not later either');
  const quiet = decide(policy, forced, { utilization: 0, committedBytes: 300 * MiB, nowMs: 5_000 });
  assert.equal(quiet.action, 'force');
  assert.equal(quiet.state.baselineBytes, 300 * MiB);
});

test('no forced collection within minForcedIntervalMs of the last one', () => {
  const state = { ...START, quietWindows: 5, reducingSinceMs: 0, attemptFromBytes: 900 * MiB, lastForcedMs: 10_000 };
  const at = (nowMs: number) => ({ utilization: 0, committedBytes: 900 * MiB, nowMs });
  assert.equal(decide(policy, state, at(10_000 + policy.minForcedIntervalMs - 1)).action, 'none');
  assert.equal(decide(policy, state, at(10_000 + policy.minForcedIntervalMs)).action, 'force');
});

test('the reducer runs the chosen collection and reports it', () => {
  const ran: string[] = [];
  const reported: string[] = [];
  const reducer = new IdleMemoryReducer({
    logger: newLogger({ level: 'error' }),
    isolate: 'test',
    // Any utilisation counts as quiet and any heap as grown, so the test does not depend on this isolate's heap.
    policy: { idleUtilization: 1.01, idleWindows: 1, minGrowthBytes: -Infinity, minGrowthRatio: 0, settleMs: Infinity },
    collections: { minor: () => ran.push('minor'), forced: () => ran.push('forced') },
    metrics: { collected: (kind, pause) => reported.push(`${kind} ${pause >= 0}`), released: () => {} },
  });
  assert.equal(reducer.tick(), 'nudge');
  assert.equal(reducer.tick(), 'nudge');
  assert.deepEqual(ran, ['minor', 'minor']);
  assert.deepEqual(reported, ['minor true', 'minor true']);
  assert.deepEqual(reducer.actions, { nudge: 2, force: 0 });
});

test('the forced collection gives a dropped burst\'s heap back', () => {
  const collections = isolateCollections();
  assert.ok(collections, 'V8 hands out gc at run time');
  const { forced } = collections;
  // A burst: ~150 MiB of small objects, then dropped.
  let burst: unknown[] | undefined = [];
  for (let i = 0; i < 1_000_000; i++) burst.push({ name: `st-${i}`, labels: { a: String(i) } });
  const grown = v8.getHeapStatistics().total_heap_size;
  burst = undefined;
  forced();
  const after = v8.getHeapStatistics().total_heap_size;
  assert.ok(after < grown - 64 * MiB, `committed heap ${Math.round(grown / MiB)} → ${Math.round(after / MiB)} MiB`);
});
