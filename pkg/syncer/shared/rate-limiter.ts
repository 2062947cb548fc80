// Per-key exponential backoff with "equal jitter" (half fixed, half random), so keys that
// failed together — every object when the physical cluster went away — do not all retry in
// the same instant when it comes back.
import { ItemExponentialFailureRateLimiter, type RateLimiter } from '../../workqueue/rate-limiters.ts';

export class JitteredRateLimiter<K = string> implements RateLimiter<K> {
  private readonly inner: ItemExponentialFailureRateLimiter<K>;
  private readonly random: () => number;

  constructor(baseMs: number, maxMs: number, random: () => number = Math.random) {
    this.inner = new ItemExponentialFailureRateLimiter<K>(baseMs, maxMs);
    this.random = random;
  }

  when(key: K): number {
    const d = this.inner.when(key);
    return Math.round(d / 2 + (d / 2) * this.random());
  }

  forget(key: K): void {
    this.inner.forget(key);
  }

  numRequeues(key: K): number {
    return this.inner.numRequeues(key);
  }
}
