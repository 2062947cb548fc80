// Retry pacing for failed heartbeats. kcp's syncer retried a failed beat every second
// forever (its own code warned about a thundering herd when kcp came back); we use
// exponential backoff with jitter so that thousands of syncers spread out, capped below the
// staleness threshold so that one recovered beat still lands in time.
import { isForbidden, isNotFound, isUnauthorized } from '../client/errors.ts';

export interface BackoffOptions {
  /** First retry delay; defaults to 500ms. */
  initialMs?: number;
  /** Upper bound of a transient-error retry; defaults to the heartbeat period. */
  maxMs: number;
  /** Delay after 401/403/404: these will not fix themselves soon; defaults to 60s. */
  authFailureMs?: number;
  /** Random in [0,1); injected for deterministic tests. */
  random?: () => number;
}

export type FailureKind = 'transient' | 'unauthorized' | 'forbidden' | 'not-found';

export function classifyBeatError(err: unknown): FailureKind {
  if (isUnauthorized(err)) return 'unauthorized';
  if (isForbidden(err)) return 'forbidden';
  if (isNotFound(err)) return 'not-found';
  return 'transient';
}

/**
 * Delay before retry number `attempt` (1 = first retry). Transient errors: "equal jitter"
 * exponential (half fixed, half random), so the delay grows but two syncers that failed at
 * the same instant do not retry in lockstep. Auth/not-found errors: a long jittered pause.
 */
export function retryDelay(kind: FailureKind, attempt: number, o: BackoffOptions): number {
  const random = o.random ?? Math.random;
  if (kind !== 'transient') {
    const base = o.authFailureMs ?? 60_000;
    return Math.round(base * (0.75 + 0.5 * random()));
  }
  const initial = o.initialMs ?? 500;
  const ceiling = Math.min(o.maxMs, initial * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
