import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Queue } from './queue.ts';
import { FakeClock, flushPromises } from '../clock/fake.ts';
import type { GetResult } from './types.ts';

async function getKey(q: Queue<string>): Promise<string> {
  const r = await q.get();
  assert.equal(r.shutdown, false);
  return r.key as string;
}

describe('Queue', () => {
  test('addFirst: ahead of every add()ed key, FIFO among themselves; a waiting key moves up once', async () => {
    const q = new Queue<string>();
    q.add('a');
    q.add('b');
    q.add('c');
    q.addFirst('x');
    q.addFirst('c'); // already waiting at the back: moves to the front, not queued twice
    q.addFirst('x');
    assert.equal(q.len(), 4);
    const order: string[] = [];
    while (q.len() > 0) {
      const k = await getKey(q);
      order.push(k);
      q.done(k);
    }
    assert.deepEqual(order, ['x', 'c', 'a', 'b']);
  });

  test('addFirst while processing: not handed out again until done, then queued at the front', async () => {
    const q = new Queue<string>();
    q.add('k');
    const key = await getKey(q);
    q.add('a');
    q.addFirst('k');
    assert.equal(q.len(), 1, 'only a waits; k is being processed');
    q.done(key);
    assert.equal(q.len(), 2);
    assert.equal(await getKey(q), 'k');
    assert.equal(await getKey(q), 'a');
  });

  test('FIFO order and dedup of waiting keys', async () => {
    const q = new Queue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.len(), 2);
    assert.equal(await getKey(q), 'a');
    assert.equal(await getKey(q), 'b');
    assert.equal(q.len(), 0);
  });

  test('add while processing: not handed out again until done, then re-queued once', async () => {
    const q = new Queue<string>();
    q.add('foo');
    const key = await getKey(q);
    q.add('foo');
    q.add('foo');
    assert.equal(q.len(), 0, 'a key being processed must not be queued');
    let second: GetResult<string> | undefined;
    void q.get().then((r) => (second = r));
    await flushPromises();
    assert.equal(second, undefined, 'another worker must not get the key while it is processed');
    q.done(key);
    await flushPromises();
    assert.deepEqual(second, { key: 'foo', shutdown: false });
    q.done('foo');
    assert.equal(q.len(), 0);
  });

  test('reinsert: done without a new add drops the key', async () => {
    const q = new Queue<string>();
    q.add('foo');
    const key = await getKey(q);
    q.done(key);
    assert.equal(q.len(), 0);
    q.add(key);
    assert.equal(q.len(), 1);
  });

  test('a waiting getter receives the next add', async () => {
    const q = new Queue<string>();
    const pending = q.get();
    q.add('x');
    assert.deepEqual(await pending, { key: 'x', shutdown: false });
  });

  test('shutDown releases waiting getters and refuses adds', async () => {
    const q = new Queue<string>();
    const g1 = q.get();
    const g2 = q.get();
    q.shutDown();
    assert.equal((await g1).shutdown, true);
    assert.equal((await g2).shutdown, true);
    q.add('late');
    assert.equal(q.len(), 0);
    assert.equal(q.shuttingDown(), true);
  });

  test('after shutDown, keys already queued are still handed out, then shutdown', async () => {
    const q = new Queue<string>();
    q.add('a');
    q.add('b');
    q.shutDown();
    assert.equal(await getKey(q), 'a');
    assert.equal(await getKey(q), 'b');
    assert.equal((await q.get()).shutdown, true);
  });

  test('shutDown does not wait for processing (no drain)', async () => {
    const q = new Queue<string>();
    q.add('a');
    await getKey(q);
    q.shutDown();
    assert.equal(q.processingCount(), 1);
  });

  test('shutDownWithDrain resolves only after every in-flight key is done', async () => {
    const q = new Queue<string>();
    q.add('a');
    q.add('b');
    const a = await getKey(q);
    const b = await getKey(q);
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    await flushPromises();
    assert.equal(drained, false);
    q.done(a);
    await flushPromises();
    assert.equal(drained, false);
    q.done(b);
    await drain;
    assert.equal(drained, true);
  });

  test('shutDownWithDrain with a dirty in-flight key: the key runs once more before the drain ends', async () => {
    const q = new Queue<string>();
    q.add('a');
    const a = await getKey(q);
    q.add('a'); // dirty while processing
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    q.done(a); // re-queued: adds made before the shutdown are not lost
    await flushPromises();
    assert.equal(drained, false);
    assert.equal(await getKey(q), 'a');
    q.done('a');
    await drain;
    assert.equal(drained, true);
  });

  test('shutDownWithDrain with nothing in flight resolves at once', async () => {
    const q = new Queue<string>();
    await q.shutDownWithDrain();
    assert.equal(q.shuttingDown(), true);
  });

  test('shutDown cancels an ongoing shutDownWithDrain wait', async () => {
    const q = new Queue<string>();
    q.add('a');
    await getKey(q);
    const drain = q.shutDownWithDrain();
    q.shutDown();
    await drain; // would hang if not released
    assert.equal(q.processingCount(), 1);
  });

  test('FIFO survives compaction with many keys', async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 5000; i++) q.add(i);
    for (let i = 0; i < 5000; i++) {
      const r = await q.get();
      assert.equal(r.key, i);
      q.done(i);
    }
    assert.equal(q.len(), 0);
  });

  test('metrics: adds, depth, latency and work duration through the hooks', async () => {
    const clock = new FakeClock(1000);
    const events: string[] = [];
    const provider = {
      newDepthMetric: (n: string) => ({ inc: () => events.push(`${n}:depth+`), dec: () => events.push(`${n}:depth-`) }),
      newAddsMetric: (n: string) => ({ inc: () => events.push(`${n}:adds`) }),
      newLatencyMetric: (n: string) => ({ observe: (s: number) => events.push(`${n}:latency=${s}`) }),
      newWorkDurationMetric: (n: string) => ({ observe: (s: number) => events.push(`${n}:work=${s}`) }),
      newUnfinishedWorkSecondsMetric: (n: string) => ({ set: (s: number) => events.push(`${n}:unfinished=${s}`) }),
      newLongestRunningProcessorSecondsMetric: (n: string) => ({ set: (s: number) => events.push(`${n}:longest=${s}`) }),
      newRetriesMetric: (n: string) => ({ inc: () => events.push(`${n}:retries`) }),
    };
    const q = new Queue<string>({ name: 'q', clock, metricsProvider: provider });
    q.add('a');
    q.add('a'); // dedup'd: not counted
    clock.step(2000);
    const a = await getKey(q);
    clock.step(500); // unfinished-work refresh tick at 500ms
    q.done(a);
    q.shutDown();
    assert.deepEqual(events, [
      'q:adds', 'q:depth+',
      // four refresh ticks while nothing is being processed
      ...Array.from({ length: 4 }, () => ['q:unfinished=0', 'q:longest=0']).flat(),
      'q:depth-', 'q:latency=2',
      'q:unfinished=0.5', 'q:longest=0.5',
      'q:work=0.5',
    ]);
    assert.equal(clock.pendingTimers, 0, 'shutDown stops the unfinished-work timer');
  });
});
