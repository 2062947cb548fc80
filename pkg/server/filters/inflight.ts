// In-flight limits, kube's max-requests-inflight in two layers:
//  - global: at most `limit` requests in flight on the whole server, so a crowd of clients
//    cannot pile up unbounded work (members of system:masters are exempt, as in kube, so the
//    operator and the in-process controllers always get through);
//  - per client: one client (an authenticated user, or a remote address for anonymous calls)
//    may have at most `limit` requests in flight, so a single noisy tenant cannot starve the
//    others.
// Beyond either bound the answer is 429 TooManyRequests with `Retry-After`. Watches are
// long-running and exempt from both (they have their own bounds).
import { StatusError } from '../../apierrors/errors.ts';
import { ANONYMOUS_USER } from '../authn/user.ts';
import { MASTERS_GROUP } from '../authz/authorizer.ts';
import type { AuthenticatedContext, Filter } from './context.ts';
import { isLongRunning } from './requestinfo.ts';

export interface InflightLimiterOptions {
  /** Concurrent requests per key; defaults to 100. */
  limit?: number;
  /** Seconds a refused client is told to wait; defaults to 1. */
  retryAfterSeconds?: number;
  /** The 429's message; defaults to the per-client wording. */
  message?: string;
}

/** Counts requests in flight per key (one key for a global bound). */
export class PerClientInflightLimiter {
  readonly limit: number;
  readonly retryAfterSeconds: number;
  private readonly message: string;
  private readonly inflight = new Map<string, number>();

  constructor(o: InflightLimiterOptions = {}) {
    this.limit = o.limit ?? 100;
    this.retryAfterSeconds = o.retryAfterSeconds ?? 1;
    this.message = o.message ?? 'too many requests in flight for this client, please try again later';
  }

  /**
   * Take a slot for `client`; returns the release function (idempotent), or throws a 429
   * StatusError whose retryAfterSeconds becomes the `Retry-After` header (httpx/respond).
   */
  acquire(client: string): () => void {
    const n = this.inflight.get(client) ?? 0;
    if (n >= this.limit) {
      throw new StatusError('TooManyRequests', this.message, { retryAfterSeconds: this.retryAfterSeconds });
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

/** The server-wide bound: one limiter, one key. */
export function newGlobalInflightLimiter(limit: number): PerClientInflightLimiter {
  return new PerClientInflightLimiter({ limit, message: 'too many requests in flight on this server, please try again later' });
}

export interface InflightLimits {
  global: PerClientInflightLimiter;
  perClient: PerClientInflightLimiter;
}

const GLOBAL_KEY = '';

/**
 * Sits right after authentication and before impersonation: the per-client key is the
 * caller who presented the credentials, so impersonating many users spreads no load.
 */
export function withInflightLimit(limits: InflightLimits): Filter<AuthenticatedContext, AuthenticatedContext> {
  return (next) => async (c) => {
    if (isLongRunning(c.info)) return next(c);
    const caller = c.authenticatedUser;
    const releaseGlobal = caller.groups.includes(MASTERS_GROUP) ? undefined : limits.global.acquire(GLOBAL_KEY);
    let releaseClient: (() => void) | undefined;
    try {
      const key = caller.username === ANONYMOUS_USER ? `ip:${c.req.socket.remoteAddress ?? ''}` : caller.username;
      releaseClient = limits.perClient.acquire(key);
      await next(c);
    } finally {
      releaseClient?.();
      releaseGlobal?.();
    }
  };
}
