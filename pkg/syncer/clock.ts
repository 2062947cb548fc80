// The syncer's clock seam: wall-clock time for heartbeat timestamps and an abortable sleep.
// Tests pass a virtual clock (see testing.ts) whose sleeps return at once and move time on,
// so the heartbeat loop is deterministic and never waits for real.

export interface SyncerClock {
  /** Wall-clock time (heartbeat timestamps are wall-clock, as kube's metav1.Time). */
  now(): Date;
  /** Resolves after ms, or early (without throwing) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realSyncerClock: SyncerClock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** metav1.Time wire format: RFC 3339 truncated to seconds, as kube serialises it. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
