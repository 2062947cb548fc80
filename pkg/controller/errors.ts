// How a reconciler tells the runner whether an error is worth retrying.
//   TerminalError  — retrying cannot help (e.g. an invalid spec): no requeue, logged and counted.
//                    A later change to the object enqueues it again through the informer.
//   TransientError — worth retrying (5xx, network, conflict): rate-limited requeue.
// Anything else thrown or returned counts as transient unless a custom classify() says otherwise.

export type ErrorClass = 'terminal' | 'transient';

export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

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

/** Wraps any error as terminal, keeping the original as `cause`. */
export function terminal(err: unknown): TerminalError {
  if (err instanceof TerminalError) return err;
  return new TerminalError(err instanceof Error ? err.message : String(err), { cause: err });
}

/** The default classification: TerminalError (anywhere in the cause chain) is terminal. */
export function defaultClassify(err: unknown): ErrorClass {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof TerminalError) return 'terminal';
    if (e instanceof TransientError) return 'transient';
  }
  return 'transient';
}
