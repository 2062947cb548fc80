// Property tests for the work-queue invariants (the intent of client-go's add-while-processing
// and collapse tests, generalised): random interleavings of add / addAfter / addRateLimited /
// get / done / clock steps / shutdown across several simulated workers, with a seeded PRNG and
// a fake clock so every run is reproducible. Checked on every hand-out and at the end:
//   - never the same key in two workers at once;
//   - dedup: a key is handed out only if it was added since it was last handed out;
//   - nothing lost: every add made before shutdown is followed by a hand-out of that key.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitingQueue } from './rate-limiting-queue.ts';
import { FakeClock, flushPromises } from '../clock/fake.ts';
import type { RateLimiter } from './rate-limiters.ts';
import { Queue } from './queue.ts';

/** mulberry32: a tiny seeded PRNG, good enough to pick operations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A limiter whose answers are random but recorded, so the model knows each delay. */
class RecordingLimiter implements RateLimiter<string> {
  last = 0;
  readonly #rand: () => number;
  constructor(rand: () => number) {
    this.#rand = rand;
  }
  when(): number {
    this.last = Math.floor(this.#rand() * 40);
    return this.last;
  }
  forget(): void {}
  numRequeues(): number {
    return 0;
  }
}

interface Worker {
  id: number;
  state: 'idle' | 'waiting' | 'holding' | 'stopped';
  key?: string;
}

async function simulate(seed: number, ops: number, workerCount: number, keyCount: number): Promise<{ handOuts: number }> {
  const rand = prng(seed);
  const pick = (n: number): number => Math.floor(rand() * n);
  const clock = new FakeClock();
  const limiter = new RecordingLimiter(rand);
  const q = new RateLimitingQueue<string>({ clock, rateLimiter: limiter });
  const keys = Array.from({ length: keyCount }, (_, i) => `k${i}`);

  // The model (client-go semantics): `owed` = keys added since their last hand-out;
  // `delayed` = earliest ready time of keys waiting in the delaying layer.
  const owed = new Set<string>();
  const delayed = new Map<string, number>();
  const heldBy = new Map<string, number>();
  let handOuts = 0;
  const failures: string[] = [];

  const workers: Worker[] = Array.from({ length: workerCount }, (_, id) => ({ id, state: 'idle' }));

  const startGet = (w: Worker): void => {
    w.state = 'waiting';
    void q.get().then((r) => {
      if (r.shutdown) {
        w.state = 'stopped';
        return;
      }
      const other = heldBy.get(r.key);
      if (other !== undefined) failures.push(`seed ${seed}: ${r.key} handed to worker ${w.id} while held by ${other}`);
      if (!owed.has(r.key)) failures.push(`seed ${seed}: ${r.key} handed out without a new add (dedup broken)`);
      owed.delete(r.key);
      heldBy.set(r.key, w.id);
      w.state = 'holding';
      w.key = r.key;
      handOuts++;
    });
  };

  const finish = (w: Worker): void => {
    const key = w.key as string;
    heldBy.delete(key);
    w.state = 'idle';
    delete w.key;
    q.done(key);
  };

  const addDelayed = (key: string, ms: number): void => {
    if (q.shuttingDown()) return;
    if (ms <= 0) {
      owed.add(key);
      return;
    }
    const readyAt = clock.now() + ms;
    const existing = delayed.get(key);
    if (existing === undefined || readyAt < existing) delayed.set(key, readyAt);
  };

  const stepClock = (ms: number): void => {
    clock.step(ms);
    for (const [key, readyAt] of delayed) {
      if (readyAt <= clock.now()) {
        delayed.delete(key);
        owed.add(key);
      }
    }
  };

  for (let i = 0; i < ops; i++) {
    const roll = rand();
    const key = keys[pick(keys.length)] as string;
    if (roll < 0.25) {
      if (!q.shuttingDown()) owed.add(key);
      q.add(key);
    } else if (roll < 0.35) {
      const ms = pick(60) - 10; // some ≤ 0: immediate
      addDelayed(key, ms);
      q.addAfter(key, ms);
    } else if (roll < 0.42) {
      const shuttingDown = q.shuttingDown();
      q.addRateLimited(key);
      if (!shuttingDown) addDelayed(key, limiter.last);
    } else if (roll < 0.62) {
      const idle = workers.filter((w) => w.state === 'idle');
      const w = idle[pick(idle.length)];
      if (w) startGet(w);
    } else if (roll < 0.85) {
      const holding = workers.filter((w) => w.state === 'holding');
      const w = holding[pick(holding.length)];
      if (w) finish(w);
    } else if (roll < 0.9995) {
      stepClock(pick(30));
    } else if (!q.shuttingDown()) {
      q.shutDown();
      delayed.clear(); // client-go drops keys still waiting for their delay
    }
    await flushPromises();
    if (failures.length > 0) break;
  }

  // Quiesce: let every delay pass, and let workers take and finish everything.
  stepClock(1_000_000);
  for (let rounds = 0; rounds < 10_000; rounds++) {
    await flushPromises();
    let progressed = false;
    for (const w of workers) {
      if (w.state === 'holding') {
        finish(w);
        progressed = true;
      } else if (w.state === 'idle' && (q.len() > 0 || q.shuttingDown())) {
        startGet(w);
        progressed = true;
      }
    }
    if (!progressed && q.len() === 0) break;
  }
  await flushPromises();

  assert.deepEqual(failures, []);
  assert.deepEqual([...owed], [], `seed ${seed}: keys added but never handed out afterwards`);
  assert.equal(q.len(), 0);
  assert.equal(q.waitingLen(), 0);

  await q.shutDownWithDrain();
  await flushPromises();
  for (const w of workers) assert.notEqual(w.state, 'waiting', `seed ${seed}: worker ${w.id} still waiting after shutdown`);
  return { handOuts };
}

describe('work queue properties', () => {
  test('random interleavings keep the invariants (40 seeds × 2500 ops, 4 workers, 8 keys)', async () => {
    let total = 0;
    for (let seed = 1; seed <= 40; seed++) total += (await simulate(seed, 2500, 4, 8)).handOuts;
    assert.ok(total > 1000, `simulation should actually process work, processed ${total}`);
  });

  test('few keys, many workers: heavy contention on the same keys', async () => {
    for (let seed = 100; seed < 110; seed++) await simulate(seed, 3000, 8, 2);
  });

  test('add while processing (client-go TestAddWhileProcessing intent)', async () => {
    // Producers add every key repeatedly while consumers process; a key must never be in two
    // consumers at once, and each key must be processed after its last add.
    const q = new Queue<string>();
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const inFlight = new Set<string>();
    const lastAddRound = new Map<string, number>();
    const lastStartRound = new Map<string, number>();
    let round = 0;
    const consumer = async (): Promise<void> => {
      for (;;) {
        const r = await q.get();
        if (r.shutdown) return;
        assert.ok(!inFlight.has(r.key), `${r.key} processed concurrently`);
        inFlight.add(r.key);
        lastStartRound.set(r.key, round);
        await flushPromises(); // "work": yield so producers and other consumers interleave
        inFlight.delete(r.key);
        q.done(r.key);
      }
    };
    const consumers = Array.from({ length: 5 }, () => consumer());
    for (round = 1; round <= 50; round++) {
      for (const k of keys) {
        q.add(k);
        lastAddRound.set(k, round);
      }
      await flushPromises();
    }
    // Let consumers finish, then close.
    while (q.len() > 0 || q.processingCount() > 0) await flushPromises();
    q.shutDown();
    await Promise.all(consumers);
    for (const k of keys) assert.ok((lastStartRound.get(k) ?? 0) >= (lastAddRound.get(k) ?? 0), `${k} lost its last add`);
  });

  test('collapse while processing: many adds during one processing → exactly one more run', async () => {
    const q = new Queue<string>();
    q.add('k');
    const first = await q.get();
    for (let i = 0; i < 100; i++) q.add('k');
    assert.equal(q.len(), 0);
    q.done('k');
    assert.equal(q.len(), 1);
    const second = await q.get();
    assert.equal(second.key, first.key);
    q.done('k');
    assert.equal(q.len(), 0);
    q.shutDown();
    assert.equal((await q.get()).shutdown, true);
  });
});
