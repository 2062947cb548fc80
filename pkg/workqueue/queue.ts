// The basic work queue with client-go semantics (util/workqueue/queue.go):
// - dirty: keys that need processing. Adding a dirty key again is a no-op (dedup).
// - processing: keys handed out by get() and not yet done(). A key added while processing is
//   marked dirty but NOT queued, so no second worker can take it; done() queues it again.
// - Hence a key is never held by two workers at once, and no add is lost.
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

const SHUTDOWN = Object.freeze({ key: undefined, shutdown: true as const });

export class Queue<K = string> implements WorkQueue<K> {
  readonly name: string | undefined;
  readonly #fifo = new Fifo<K>();
  readonly #dirty = new Set<K>();
  readonly #processing = new Set<K>();
  /** Pending get() calls. Invariant: non-empty only while the FIFO is empty and not shut down. */
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
    this.#fifo.push(key);
    this.#handOff();
  }

  len(): number {
    return this.#fifo.length;
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
    if (this.#dirty.has(key)) {
      this.#fifo.push(key);
      this.#handOff();
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
    // Waiters exist only while the FIFO is empty, so every one of them is released now.
    for (const waiter of this.#waiters.splice(0)) waiter(SHUTDOWN);
  }

  #take(): GetResult<K> | undefined {
    if (this.#fifo.length === 0) return undefined;
    const key = this.#fifo.shift() as K;
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
