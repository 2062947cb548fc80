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

/**
 * A clock `skewMs` off the real one (negative: behind). Test-only, through the hidden
 * KPLANE_SYNCER_TEST_CLOCK_SKEW_MS environment variable: it lets an end-to-end test run a real
 * syncer whose clock is wrong, to show kplane judges heartbeats by its own clock.
 */
export function skewedSyncerClock(skewMs: number): SyncerClock {
  return { now: () => new Date(Date.now() + skewMs), sleep };
}

/** The clock KPLANE_SYNCER_TEST_CLOCK_SKEW_MS asks for (an integer, may be negative), else the real one. */
export function syncerClockFromEnv(env: NodeJS.ProcessEnv): SyncerClock {
  const raw = env.KPLANE_SYNCER_TEST_CLOCK_SKEW_MS;
  if (raw === undefined || raw === '') return realSyncerClock;
  const skew = Number(raw);
  if (!Number.isInteger(skew)) throw new Error(`KPLANE_SYNCER_TEST_CLOCK_SKEW_MS must be an integer number of milliseconds, got ${JSON.stringify(raw)}`);
  return skewedSyncerClock(skew);
}
