// Per-client concurrency limit: one client (an authenticated user, or a remote address for
// anonymous calls) may have at most `limit` requests in flight; the next gets 429
// TooManyRequests with `Retry-After`, so a single noisy tenant cannot starve the others.
// Watches are long-running and exempt (as kube's max-requests-inflight exempts them).
import { StatusError } from '../../apierrors/errors.ts';

export interface InflightLimiterOptions {
  /** Concurrent requests per client; defaults to 100. */
  limit?: number;
  /** Seconds a refused client is told to wait; defaults to 1. */
  retryAfterSeconds?: number;
}

export class PerClientInflightLimiter {
  readonly limit: number;
  readonly retryAfterSeconds: number;
  private readonly inflight = new Map<string, number>();

  constructor(o: InflightLimiterOptions = {}) {
    this.limit = o.limit ?? 100;
    this.retryAfterSeconds = o.retryAfterSeconds ?? 1;
  }

  /**
   * Take a slot for `client`; returns the release function (idempotent), or throws a 429
   * StatusError whose retryAfterSeconds becomes the `Retry-After` header (httpx/respond).
   */
  acquire(client: string): () => void {
    const n = this.inflight.get(client) ?? 0;
    if (n >= this.limit) {
      throw new StatusError('TooManyRequests', `too many requests in flight for this client, please try again later`, {
        retryAfterSeconds: this.retryAfterSeconds,
      });
    }
    this.inflight.set(client, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inflight.get(client) ?? 1) - 1;
      if (left <= 0) this.inflight.delete(client);
      else this.inflight.set(client, left);
    };
  }

  inFlight(client: string): number {
    return this.inflight.get(client) ?? 0;
  }
}
