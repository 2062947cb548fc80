// How the runner decides whether an error is worth retrying. Every error is transient (a
// rate-limited requeue) unless the controller passes a classify() that calls some terminal:
// then it is not requeued, only logged and counted, and a later change to the object enqueues
// it again through the informer. kplane's controllers retry everything: their steps report
// conditions that need a human (an invalid spec) as wait/retry, not as errors.

export type ErrorClass = 'terminal' | 'transient';

export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** The reconcile ran past reconcileTimeoutMs and gave up (a transient error: it is retried). */
export class ReconcileTimeoutError extends TransientError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options?: { cause?: unknown }) {
    super(`reconcile timed out after ${timeoutMs}ms`, options);
    this.name = 'ReconcileTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The default classification: everything is retried. */
export function defaultClassify(_err: unknown): ErrorClass {
  return 'transient';
}
