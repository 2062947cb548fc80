import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayingQueue } from './delaying-queue.ts';
import { FakeClock } from '../clock/fake.ts';

async function drainKeys(q: DelayingQueue<string>): Promise<string[]> {
  const keys: string[] = [];
  while (q.len() > 0) {
    const r = await q.get();
    if (r.shutdown) break;
    keys.push(r.key);
    q.done(r.key);
  }
  return keys;
}

describe('DelayingQueue', () => {
  test('readyFirst: keys whose delay passed go ahead of keys added without delay, in due order', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock, readyFirst: true });
    q.addAfter('late', 20);
    q.addAfter('early', 10);
    q.add('a');
    q.add('b');
    clock.step(20);
    q.add('c');
    assert.deepEqual(await drainKeys(q), ['early', 'late', 'a', 'b', 'c']);
  });

  test('without readyFirst, ready keys queue behind what is already waiting (FIFO)', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('due', 10);
    q.add('a');
    clock.step(10);
    assert.deepEqual(await drainKeys(q), ['a', 'due']);
  });

  test('a key becomes available only once its delay has passed', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('foo', 50);
    assert.equal(q.len(), 0);
    assert.equal(q.waitingLen(), 1);
    clock.step(49);
    assert.equal(q.len(), 0);
    clock.step(1);
    assert.equal(q.len(), 1);
    assert.deepEqual(await drainKeys(q), ['foo']);
    assert.equal(clock.pendingTimers, 0);
  });

  test('delay ≤ 0 adds immediately', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    assert.equal(q.len(), 2);
    assert.equal(q.waitingLen(), 0);
  });

  test('a duplicate addAfter only ever moves the ready time earlier', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('foo', 50);
    q.addAfter('foo', 70); // later: ignored
    assert.equal(q.waitingLen(), 1);
    clock.step(50);
    assert.equal(q.len(), 1);

    q.addAfter('bar', 50);
    q.addAfter('bar', 30); // earlier: wins
    clock.step(30);
    assert.equal(q.len(), 2);
    assert.equal(q.waitingLen(), 0);
  });

  test('two keys, the later-added fires first when its delay is shorter', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('slow', 1000);
    q.addAfter('fast', 50);
    clock.step(60);
    assert.deepEqual(await drainKeys(q), ['fast']);
    clock.step(1000);
    assert.deepEqual(await drainKeys(q), ['slow']);
  });

  test('keys ready at the same time come out in insertion order; many keys ordered by time', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    const delays = [5, 3, 9, 1, 3, 7, 2, 8, 6, 4];
    delays.forEach((d, i) => q.addAfter(`k${i}`, d * 10));
    clock.step(100);
    const expected = delays
      .map((d, i) => ({ d, i }))
      .sort((x, y) => x.d - y.d || x.i - y.i)
      .map(({ i }) => `k${i}`);
    assert.deepEqual(await drainKeys(q), expected);
  });

  test('only one timer is armed, for the earliest key', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 100);
    q.addAfter('b', 200);
    q.addAfter('c', 50);
    assert.equal(clock.pendingTimers, 1);
    assert.equal(clock.nextDueAt(), 50);
    clock.step(50);
    assert.equal(clock.nextDueAt(), 100);
  });

  test('shutDown drops waiting keys, clears the timer and ignores later addAfter', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 100);
    q.shutDown();
    assert.equal(clock.pendingTimers, 0);
    q.addAfter('b', 0);
    clock.step(1000);
    assert.equal(q.len(), 0);
    assert.equal((await q.get()).shutdown, true);
  });

  test('retries metric counts addAfter calls', () => {
    const clock = new FakeClock();
    let retries = 0;
    const noop = { inc() {}, dec() {}, set() {}, observe() {} };
    const q = new DelayingQueue<string>({
      clock,
      name: 'dq',
      metricsProvider: {
        newDepthMetric: () => noop,
        newAddsMetric: () => noop,
        newLatencyMetric: () => noop,
        newWorkDurationMetric: () => noop,
        newUnfinishedWorkSecondsMetric: () => noop,
        newLongestRunningProcessorSecondsMetric: () => noop,
        newRetriesMetric: () => ({ inc: () => void retries++ }),
      },
    });
    q.addAfter('a', 10);
    q.addAfter('a', 0);
    assert.equal(retries, 2);
    q.shutDown();
  });
});

describe('DelayingQueue on the real clock', () => {
  test('a delayed key eventually arrives (no upper bound asserted)', async () => {
    const q = new DelayingQueue<string>();
    q.addAfter('k', 2);
    const r = await q.get();
    assert.deepEqual(r, { key: 'k', shutdown: false });
    q.done('k');
    q.shutDown();
  });
});
