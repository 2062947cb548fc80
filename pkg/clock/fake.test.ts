import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from './fake.ts';

test('step fires due timers in time order, with now() at each due time', () => {
  const clock = new FakeClock(100);
  const fired: [string, number][] = [];
  clock.setTimeout(() => fired.push(['b', clock.now()]), 20);
  clock.setTimeout(() => fired.push(['a', clock.now()]), 10);
  const c = clock.setTimeout(() => fired.push(['c', clock.now()]), 15);
  clock.clearTimeout(c);
  clock.step(15);
  assert.deepEqual(fired, [['a', 110]]);
  clock.step(5);
  assert.deepEqual(fired, [['a', 110], ['b', 120]]);
  assert.equal(clock.pendingTimers, 0);
});

test('sleep waits for advance, resolves early on abort, and is recorded', async () => {
  const clock = new FakeClock(0);
  let woke = false;
  const slept = clock.sleep(50).then(() => (woke = true));
  await clock.advance(49);
  assert.equal(woke, false);
  await clock.advance(1);
  await slept;
  assert.equal(woke, true);
  const ac = new AbortController();
  const aborted = clock.sleep(1_000, ac.signal);
  ac.abort();
  await aborted;
  assert.equal(clock.pendingTimers, 0);
  assert.deepEqual(clock.sleeps, [50, 1_000]);
});

test('autoAdvance: sleeps return at once and move time on', async () => {
  const clock = new FakeClock(1_000, { autoAdvance: true });
  const seen: number[] = [];
  clock.onSleep = (ms, n) => seen.push(ms * 10 + n);
  await clock.sleep(200);
  await clock.sleep(300);
  assert.equal(clock.now(), 1_500);
  assert.deepEqual(clock.sleeps, [200, 300]);
  assert.deepEqual(seen, [2001, 3002]);
});
