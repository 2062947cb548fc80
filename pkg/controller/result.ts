// What a reconcile returns, and the ONE function that turns it into queue operations
// (controller-runtime's reconcileHandler, client-go's handleErr):
//   error (thrown or returned), transient → addRateLimited     (per-key backoff, overall bucket)
//   error, terminal                        → forget, no requeue (logged and counted by the runner)
//   { requeueAfter: ms } (ms > 0)          → forget + addAfter  (a planned check, not a failure)
//   { requeue: true }                      → addRateLimited
//   success                                → forget
// and always done(key) last, so a key re-added meanwhile is queued again.

import type { RateLimitingWorkQueue } from '../workqueue/types.ts';
import type { ReconcileResultLabel } from './metrics-hooks.ts';
import { defaultClassify, type ErrorClass } from './errors.ts';

export interface Result {
  /** Reconcile again after this many milliseconds (and reset the key's backoff). */
  requeueAfter?: number;
  /** Reconcile again, paced by the rate limiter (prefer requeueAfter or an error). */
  requeue?: boolean;
  /** An error returned instead of thrown; handled exactly like a thrown one. */
  error?: unknown;
}

/** How a reconcile ended: it threw, or it returned (possibly nothing). */
export type ReconcileOutcome = { threw: unknown } | { returned: Result | void };

export interface Disposition {
  label: ReconcileResultLabel;
  /** The error, for error and terminal_error. */
  error?: unknown;
  /** The delay asked for, for requeue_after. */
  requeueAfterMs?: number;
}

export function finishReconcile<K>(
  queue: RateLimitingWorkQueue<K>,
  key: K,
  outcome: ReconcileOutcome,
  classify: (err: unknown) => ErrorClass = defaultClassify,
): Disposition {
  try {
    const result = 'returned' in outcome ? (outcome.returned ?? {}) : {};
    const error = 'threw' in outcome ? (outcome.threw ?? new Error('reconcile threw a nullish value')) : result.error;
    if (error !== undefined && error !== null) {
      if (classify(error) === 'terminal') {
        queue.forget(key);
        return { label: 'terminal_error', error };
      }
      queue.addRateLimited(key);
      return { label: 'error', error };
    }
    if (result.requeueAfter !== undefined && result.requeueAfter > 0) {
      queue.forget(key);
      queue.addAfter(key, result.requeueAfter);
      return { label: 'requeue_after', requeueAfterMs: result.requeueAfter };
    }
    if (result.requeue === true) {
      queue.addRateLimited(key);
      return { label: 'requeue' };
    }
    queue.forget(key);
    return { label: 'success' };
  } finally {
    queue.done(key);
  }
}
