import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import { newLogger } from '../log/logger.ts';
import { decide, DEFAULT_POLICY, IdleMemoryReducer, initialState, memoryReducingCollection, type MemorySample, type ReducerState } from './idle-reducer.ts';

const MiB = 2 ** 20;
const policy = DEFAULT_POLICY;

/** Run the policy over samples; the ticks at which it would reduce. */
function run(samples: MemorySample[], start: ReducerState = initialState({ committedBytes: 100 * MiB, nowMs: 0 })): number[] {
  let state = start;
  const reduced: number[] = [];
  samples.forEach((sample, i) => {
    const out = decide(policy, state, sample);
    state = out.state;
    if (out.reduce) {
      reduced.push(i);
      state = { quietWindows: 0, baselineBytes: 100 * MiB, lastReductionMs: sample.nowMs };
    }
  });
  return reduced;
}

const tick = (i: number, utilization: number, committedMiB: number): MemorySample => ({ utilization, committedBytes: committedMiB * MiB, nowMs: 30_000 + i * 5_000 });

test('a grown heap is reduced after two quiet windows, not during the burst', () => {
  const samples = [tick(0, 0.9, 400), tick(1, 0.95, 700), tick(2, 0.05, 700), tick(3, 0.02, 700), tick(4, 0.01, 700)];
  assert.deepEqual(run(samples), [3]);
});

test('one busy window among quiet ones starts the count again', () => {
  const samples = [tick(0, 0.05, 400), tick(1, 0.6, 400), tick(2, 0.05, 400), tick(3, 0.05, 400)];
  assert.deepEqual(run(samples), [3]);
});

test('a heap that did not grow enough is left alone, however quiet', () => {
  // 100 MiB baseline: growth must reach max(32 MiB, 25 MiB).
  const samples = Array.from({ length: 10 }, (_, i) => tick(i, 0, 131));
  assert.deepEqual(run(samples), []);
  assert.deepEqual(run([tick(0, 0, 132), tick(1, 0, 132)]), [1]);
});

test('growth counts from the lowest committed heap V8 reached by itself', () => {
  const samples = [tick(0, 0.9, 60), tick(1, 0.9, 95), tick(2, 0, 95), tick(3, 0, 95)];
  assert.deepEqual(run(samples), [3], '60 → 95 MiB is more than 32 MiB of growth');
});

test('at most one reduction per minIntervalMs, however the heap grows', () => {
  const state = initialState({ committedBytes: 100 * MiB, nowMs: 0 });
  const early = decide(policy, { ...state, quietWindows: 5 }, { utilization: 0, committedBytes: 900 * MiB, nowMs: policy.minIntervalMs - 1 });
  assert.equal(early.reduce, false);
  const due = decide(policy, { ...state, quietWindows: 5 }, { utilization: 0, committedBytes: 900 * MiB, nowMs: policy.minIntervalMs });
  assert.equal(due.reduce, true);
});

test('the reducer runs its collection once the isolate is quiet and counts it', () => {
  let collections = 0;
  const observed: number[] = [];
  const reducer = new IdleMemoryReducer({
    logger: newLogger({ level: 'error' }),
    isolate: 'test',
    // Any growth and any utilisation count, so that the test does not depend on this isolate's heap.
    policy: { idleUtilization: 1.01, idleWindows: 1, minGrowthBytes: -Infinity, minGrowthRatio: 0, minIntervalMs: 0 },
    collect: () => collections++,
    metrics: { reduced: (pause) => observed.push(pause) },
  });
  assert.equal(reducer.tick(), true);
  assert.equal(collections, 1);
  assert.equal(reducer.reductions, 1);
  assert.equal(observed.length, 1);
  assert.ok(observed[0]! >= 0);
});

test('the memory-reducing collection gives a dropped burst\'s heap back', () => {
  const collect = memoryReducingCollection();
  assert.equal((globalThis as { gc?: unknown }).gc, undefined, 'no global gc is left behind');
  // A burst: ~150 MiB of small objects, then dropped.
  let burst: unknown[] | undefined = [];
  for (let i = 0; i < 1_000_000; i++) burst.push({ name: `st-${i}`, labels: { a: String(i) } });
  const grown = v8.getHeapStatistics().total_heap_size;
  burst = undefined;
  collect();
  const after = v8.getHeapStatistics().total_heap_size;
  assert.ok(after < grown - 64 * MiB, `committed heap ${Math.round(grown / MiB)} → ${Math.round(after / MiB)} MiB`);
});
