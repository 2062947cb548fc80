// Hooks an informer reports through, so a broken watch is visible in metrics (the ops
// layer implements them with prom-client); no-op by default.
export interface InformerMetrics {
  /** A list+replace finished (initial sync or relist after 410). */
  relist(resource: string): void;
  /** A watch ended with an error and will be retried after a backoff. */
  watchError(resource: string, reason: string): void;
  /** A new watch stream was opened. */
  watchStarted(resource: string): void;
  /** An event was delivered to the handlers. */
  event(resource: string, type: string): void;
}

export const noopInformerMetrics: InformerMetrics = {
  relist: () => undefined,
  watchError: () => undefined,
  watchStarted: () => undefined,
  event: () => undefined,
};
