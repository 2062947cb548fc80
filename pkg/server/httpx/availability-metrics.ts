// What the availability defences report (pkg/metrics implements it; a no-op by default). It is
// process-wide, like the body deadline, because the reporters — the watch write path and the
// connection layer — sit below any one request's context.
export type ConnectionCloseReason = 'linger_bytes' | 'linger_deadline' | 'per_ip_limit' | 'max_connections';

export interface AvailabilityMetrics {
  /** A watch was closed because its client did not read fast enough (kube's terminated watchers). */
  watcherTerminated(group: string, resource: string): void;
  /** A connection was closed by a bound: unread body too large or too slow, too many from one address or in all. */
  connectionClosed(reason: ConnectionCloseReason): void;
}

const noop: AvailabilityMetrics = { watcherTerminated() {}, connectionClosed() {} };
let current: AvailabilityMetrics = noop;

export function setAvailabilityMetrics(m: AvailabilityMetrics): void {
  current = m;
}

export function availabilityMetrics(): AvailabilityMetrics {
  return current;
}
