// A work queue that can add keys after a delay (client-go delaying_queue.go). Waiting keys sit
// in a min-heap by ready time; one clock timer is armed for the earliest, and when it fires
// every ready key is add()ed to the underlying queue (where the usual dedup applies).
// Shutting down drops the keys still waiting for their delay, as client-go does.

import { monotonicClock, type Clock, type TimerHandle } from '../clock/clock.ts';
import { Queue, type QueueOptions } from './queue.ts';
import { newRetriesCounter } from './metrics.ts';
import type { CounterMetric } from './metrics-hooks.ts';
import { WaitingHeap } from './waiting-heap.ts';
import type { DelayingWorkQueue, GetResult, WorkQueue } from './types.ts';

export interface DelayingQueueOptions<K> extends QueueOptions {
  /** The queue ready keys go into; defaults to a new Queue with the same options. */
  queue?: WorkQueue<K>;
  /**
   * Keys whose delay has passed go ahead of keys add()ed without delay (the inner queue's
   * addFirst). For a controller whose delayed requeues are deadlines (a heartbeat going stale
   * at an exact time), so a burst of events cannot hold them back. Default false: FIFO.
   */
  readyFirst?: boolean;
}

export class DelayingQueue<K = string> implements DelayingWorkQueue<K> {
  readonly #queue: WorkQueue<K>;
  readonly #clock: Clock;
  readonly #waiting = new WaitingHeap<K>();
  /** Only the retries counter lives here; the inner queue records everything else. */
  readonly #retries: CounterMetric;
  #timer: TimerHandle | undefined;
  #timerDueAt: number | undefined;
  /** Where ready keys go: add(), or addFirst() with readyFirst. */
  readonly #addReady: (key: K) => void;

  constructor(options: DelayingQueueOptions<K> = {}) {
    this.#clock = options.clock ?? monotonicClock;
    const queue = options.queue ?? new Queue<K>(options);
    this.#queue = queue;
    if (options.readyFirst && !queue.addFirst) throw new Error('readyFirst needs a queue with addFirst');
    this.#addReady = options.readyFirst ? (key) => queue.addFirst!(key) : (key) => queue.add(key);
    this.#retries = newRetriesCounter(options.name, options.metricsProvider);
  }

  addAfter(key: K, ms: number): void {
    if (this.#queue.shuttingDown()) return;
    this.#retries.inc();
    if (ms <= 0) {
      this.#addReady(key);
      return;
    }
    if (this.#waiting.upsertEarliest(key, this.#clock.now() + ms)) this.#arm();
  }

  /** Keys waiting for their delay to pass (not yet in the queue). */
  waitingLen(): number {
    return this.#waiting.size;
  }

  add(key: K): void {
    this.#queue.add(key);
  }
  len(): number {
    return this.#queue.len();
  }
  get(): Promise<GetResult<K>> {
    return this.#queue.get();
  }
  done(key: K): void {
    this.#queue.done(key);
  }
  shuttingDown(): boolean {
    return this.#queue.shuttingDown();
  }

  shutDown(): void {
    this.#stopWaiting();
    this.#queue.shutDown();
  }

  shutDownWithDrain(): Promise<void> {
    this.#stopWaiting();
    return this.#queue.shutDownWithDrain();
  }

  #stopWaiting(): void {
    this.#disarm();
    this.#waiting.clear();
  }

  /** Moves every ready key into the queue, then re-arms for the next one. */
  #flushReady(): void {
    this.#timer = undefined;
    this.#timerDueAt = undefined;
    const now = this.#clock.now();
    for (let key = this.#waiting.popReady(now); key !== undefined; key = this.#waiting.popReady(now)) {
      this.#addReady(key);
    }
    this.#arm();
  }

  /** Ensures the timer is set for the earliest ready time (and only one timer exists). */
  #arm(): void {
    const dueAt = this.#waiting.peekReadyAt();
    if (dueAt === undefined) {
      this.#disarm();
      return;
    }
    if (this.#timerDueAt !== undefined && this.#timerDueAt <= dueAt) return;
    this.#disarm();
    this.#timerDueAt = dueAt;
    this.#timer = this.#clock.setTimeout(() => this.#flushReady(), dueAt - this.#clock.now());
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerDueAt = undefined;
  }
}
