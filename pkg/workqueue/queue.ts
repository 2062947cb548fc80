// The basic work queue with client-go semantics (util/workqueue/queue.go):
// - dirty: keys that need processing. Adding a dirty key again is a no-op (dedup).
// - processing: keys handed out by get() and not yet done(). A key added while processing is
//   marked dirty but NOT queued, so no second worker can take it; done() queues it again.
// - Hence a key is never held by two workers at once, and no add is lost.
// - Two lanes: add() queues at the back; addFirst() queues ahead of every add()ed key (a key
//   already waiting moves to the front lane). A controller whose delayed rechecks are due at an
//   exact time (heartbeat staleness) must not find them behind a burst of ordinary events.
// In JavaScript "waiting on a condition variable" becomes a list of pending get() promises:
// a key is handed to the first waiter synchronously when it is queued, so the invariants
// above hold at every await point.

import { monotonicClock, type Clock } from '../clock/clock.ts';
import { Fifo } from './fifo.ts';
import { newQueueMetrics, type QueueMetrics } from './metrics.ts';
import type { QueueMetricsProvider } from './metrics-hooks.ts';
import type { GetResult, WorkQueue } from './types.ts';

export interface QueueOptions {
  /** Queue name: the `name` label of its metrics; metrics are recorded only when set. */
  name?: string;
  clock?: Clock;
  metricsProvider?: QueueMetricsProvider;
}

type Waiter<K> = (result: GetResult<K>) => void;
type Lane = 'front' | 'back';

const SHUTDOWN = Object.freeze({ key: undefined, shutdown: true as const });

export class Queue<K = string> implements WorkQueue<K> {
  readonly name: string | undefined;
  readonly #front = new Fifo<K>();
  readonly #back = new Fifo<K>();
  /**
   * Keys waiting in a lane, and which. A key moved to the front leaves a stale entry in the back
   * lane; entries whose key is not (or no longer) waiting in their lane are skipped on take.
   */
  readonly #queued = new Map<K, Lane>();
  /** Keys addFirst()ed while processing: done() queues them in the front lane. */
  readonly #frontOnDone = new Set<K>();
  readonly #dirty = new Set<K>();
  readonly #processing = new Set<K>();
  /** Pending get() calls. Invariant: non-empty only while no key waits and not shut down. */
  readonly #waiters: Waiter<K>[] = [];
  /** Pending shutDownWithDrain() calls, released once processing is empty. */
  readonly #drainWaiters: (() => void)[] = [];
  readonly #metrics: QueueMetrics<K>;
  #shuttingDown = false;
  #drain = false;

  constructor(options: QueueOptions = {}) {
    this.name = options.name;
    this.#metrics = newQueueMetrics<K>(options.name, options.metricsProvider, options.clock ?? monotonicClock);
    this.#metrics.start();
  }

  add(key: K): void {
    if (this.#shuttingDown) return;
    if (this.#dirty.has(key)) return;
    this.#metrics.add(key);
    this.#dirty.add(key);
    // Re-added while a worker holds it: done() will queue it again.
    if (this.#processing.has(key)) return;
    this.#enqueue(key, 'back');
  }

  /** Like add(), but ahead of every add()ed key; a key already waiting at the back moves up. */
  addFirst(key: K): void {
    if (this.#shuttingDown) return;
    if (!this.#dirty.has(key)) {
      this.#metrics.add(key);
      this.#dirty.add(key);
    }
    if (this.#processing.has(key)) {
      this.#frontOnDone.add(key);
      return;
    }
    if (this.#queued.get(key) === 'front') return;
    this.#enqueue(key, 'front');
  }

  len(): number {
    return this.#queued.size;
  }

  get(): Promise<GetResult<K>> {
    const taken = this.#take();
    if (taken !== undefined) return Promise.resolve(taken);
    if (this.#shuttingDown) return Promise.resolve(SHUTDOWN);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  done(key: K): void {
    this.#metrics.done(key);
    this.#processing.delete(key);
    const front = this.#frontOnDone.delete(key);
    if (this.#dirty.has(key)) {
      this.#enqueue(key, front ? 'front' : 'back');
    } else if (this.#processing.size === 0) {
      this.#releaseDrainWaiters();
    }
  }

  shutDown(): void {
    // As client-go: a plain shutDown cancels the wait of an ongoing shutDownWithDrain.
    this.#drain = false;
    this.#beginShutdown();
    this.#releaseDrainWaiters();
  }

  /**
   * Resolves once nothing is in flight. A key that was re-added while in flight is re-queued by
   * done() and must be taken and done once more before the drain ends (client-go leaves that to
   * the race between its waiters; we pick the answer that loses no add).
   */
  shutDownWithDrain(): Promise<void> {
    this.#drain = true;
    this.#beginShutdown();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Keys currently handed out and not yet done (for tests and debugging). */
  processingCount(): number {
    return this.#processing.size;
  }

  #beginShutdown(): void {
    if (!this.#shuttingDown) this.#metrics.stop();
    this.#shuttingDown = true;
    // Waiters exist only while the lanes are empty, so every one of them is released now.
    for (const waiter of this.#waiters.splice(0)) waiter(SHUTDOWN);
  }

  #enqueue(key: K, lane: Lane): void {
    this.#queued.set(key, lane);
    (lane === 'front' ? this.#front : this.#back).push(key);
    this.#handOff();
  }

  /** The next waiting key, front lane first, skipping stale entries. */
  #next(): K | undefined {
    for (const [lane, fifo] of [['front', this.#front], ['back', this.#back]] as const) {
      while (fifo.length > 0) {
        const key = fifo.shift() as K;
        if (this.#queued.get(key) === lane) return key;
      }
    }
    return undefined;
  }

  #take(): GetResult<K> | undefined {
    if (this.#queued.size === 0) return undefined;
    const key = this.#next() as K;
    this.#queued.delete(key);
    this.#metrics.get(key);
    this.#processing.add(key);
    this.#dirty.delete(key);
    return { key, shutdown: false };
  }

  #handOff(): void {
    const waiter = this.#waiters.shift();
    if (waiter === undefined) return;
    waiter(this.#take() as GetResult<K>);
  }

  #releaseDrainWaiters(): void {
    if (this.#drainWaiters.length === 0) return;
    if (this.#drain && this.#processing.size !== 0) return;
    for (const release of this.#drainWaiters.splice(0)) release();
  }
}
