// The syncer's clock seam: wall-clock time for heartbeat timestamps and an abortable sleep.
// Tests pass a virtual clock (see testing.ts) whose sleeps return at once and move time on,
// so the heartbeat loop is deterministic and never waits for real.
import { sleep } from '../clock/sleep.ts';

export interface SyncerClock {
  /** Wall-clock time (heartbeat timestamps are wall-clock, as kube's metav1.Time). */
  now(): Date;
  /** Resolves after ms, or early (without throwing) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realSyncerClock: SyncerClock = {
  now: () => new Date(),
  sleep,
};

/** metav1.Time wire format: RFC 3339 truncated to seconds, as kube serialises it. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
