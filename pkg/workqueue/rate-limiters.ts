// Rate limiters decide how long a failed key waits before its next try (client-go
// util/workqueue/default_rate_limiters.go). Same defaults as client-go, in milliseconds.

import { monotonicClock, type Clock } from '../clock/clock.ts';

export interface RateLimiter<K> {
  /** How long key should wait before it is retried; also records one more failure. */
  when(key: K): number;
  /** Clears the memory of key's failures (call when key was processed successfully). */
  forget(key: K): void;
  /** Failures recorded for key since the last forget. */
  numRequeues(key: K): number;
}

/**
 * Per-key exponential backoff: base × 2^failures, capped at max.
 * Defaults (client-go's controller defaults): base 5ms, max 1000s.
 */
export class ItemExponentialFailureRateLimiter<K = string> implements RateLimiter<K> {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly #failures = new Map<K, number>();

  constructor(baseDelayMs = 5, maxDelayMs = 1_000_000) {
    this.baseDelayMs = baseDelayMs;
    this.maxDelayMs = maxDelayMs;
  }

  when(key: K): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    // 2 ** failures overflows to Infinity long before it matters; the cap handles both.
    const backoff = this.baseDelayMs * 2 ** failures;
    return Number.isFinite(backoff) && backoff <= this.maxDelayMs ? backoff : this.maxDelayMs;
  }

  forget(key: K): void {
    this.#failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * An overall token bucket shared by all keys (golang.org/x/time/rate semantics): the bucket
 * starts full with `burst` tokens and refills at `qps` per second; every when() takes a token,
 * borrowing from the future if none is left, and returns how long until that token exists.
 * Defaults (client-go's controller defaults): 10 qps, burst 100. Keeps no per-key state.
 */
export class BucketRateLimiter<K = string> implements RateLimiter<K> {
  readonly qps: number;
  readonly burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #lastMs: number;

  constructor(qps = 10, burst = 100, clock: Clock = monotonicClock) {
    if (!(qps > 0)) throw new RangeError(`BucketRateLimiter: qps must be > 0, got ${qps}`);
    this.qps = qps;
    this.burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#lastMs = clock.now();
  }

  when(_key: K): number {
    const now = this.#clock.now();
    const elapsedMs = Math.max(0, now - this.#lastMs);
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsedMs / 1000) * this.qps) - 1;
    this.#lastMs = now;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.qps) * 1000;
  }

  forget(_key: K): void {}

  numRequeues(_key: K): number {
    return 0;
  }
}

/** Combines limiters: the longest wait wins, and every limiter sees every call. */
export class MaxOfRateLimiter<K = string> implements RateLimiter<K> {
  readonly #limiters: readonly RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.#limiters = limiters;
  }

  when(key: K): number {
    let longest = 0;
    // Call all of them (no short-circuit): each must record the failure.
    for (const limiter of this.#limiters) longest = Math.max(longest, limiter.when(key));
    return longest;
  }

  forget(key: K): void {
    for (const limiter of this.#limiters) limiter.forget(key);
  }

  numRequeues(key: K): number {
    let most = 0;
    for (const limiter of this.#limiters) most = Math.max(most, limiter.numRequeues(key));
    return most;
  }
}

/**
 * client-go's DefaultControllerRateLimiter: per-key exponential 5ms…1000s, and an overall
 * bucket of 10 qps with burst 100 so a mass failure cannot hot-loop the API server.
 */
export function defaultControllerRateLimiter<K = string>(clock: Clock = monotonicClock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(
    new ItemExponentialFailureRateLimiter<K>(5, 1_000_000),
    new BucketRateLimiter<K>(10, 100, clock),
  );
}
