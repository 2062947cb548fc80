// A delaying queue whose retries are paced by a RateLimiter (client-go rate_limiting_queue.go).

import { monotonicClock } from '../clock/clock.ts';
import { DelayingQueue, type DelayingQueueOptions } from './delaying-queue.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.ts';
import type { GetResult, RateLimitingWorkQueue } from './types.ts';

export interface RateLimitingQueueOptions<K> extends DelayingQueueOptions<K> {
  /** Defaults to defaultControllerRateLimiter() on the same clock. */
  rateLimiter?: RateLimiter<K>;
}

export class RateLimitingQueue<K = string> implements RateLimitingWorkQueue<K> {
  readonly #delaying: DelayingQueue<K>;
  readonly #rateLimiter: RateLimiter<K>;

  constructor(options: RateLimitingQueueOptions<K> = {}) {
    this.#delaying = new DelayingQueue<K>(options);
    this.#rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<K>(options.clock ?? monotonicClock);
  }

  addRateLimited(key: K): void {
    this.#delaying.addAfter(key, this.#rateLimiter.when(key));
  }

  forget(key: K): void {
    this.#rateLimiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.#rateLimiter.numRequeues(key);
  }

  addAfter(key: K, ms: number): void {
    this.#delaying.addAfter(key, ms);
  }
  waitingLen(): number {
    return this.#delaying.waitingLen();
  }
  add(key: K): void {
    this.#delaying.add(key);
  }
  len(): number {
    return this.#delaying.len();
  }
  get(): Promise<GetResult<K>> {
    return this.#delaying.get();
  }
  done(key: K): void {
    this.#delaying.done(key);
  }
  shutDown(): void {
    this.#delaying.shutDown();
  }
  shutDownWithDrain(): Promise<void> {
    return this.#delaying.shutDownWithDrain();
  }
  shuttingDown(): boolean {
    return this.#delaying.shuttingDown();
  }
}
