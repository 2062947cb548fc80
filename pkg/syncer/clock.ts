// The syncer's clock: pkg/clock's Clock (wall-clock time for heartbeat timestamps, an
// abortable sleep). Tests pass a FakeClock with autoAdvance (testing.ts) whose sleeps return at
// once and move time on, so the heartbeat loop is deterministic and never waits for real.
import { type Clock, realClock, skewedClock } from '../clock/clock.ts';

/**
 * The clock KPLANE_SYNCER_TEST_CLOCK_SKEW_MS asks for (an integer, may be negative), else the
 * real one. Test-only, through that hidden environment variable: it lets an end-to-end test run
 * a real syncer whose clock is wrong, to show kplane judges heartbeats by its own clock.
 */
export function syncerClockFromEnv(env: NodeJS.ProcessEnv): Clock {
  const raw = env.KPLANE_SYNCER_TEST_CLOCK_SKEW_MS;
  if (raw === undefined || raw === '') return realClock;
  const skew = Number(raw);
  if (!Number.isInteger(skew)) throw new Error(`KPLANE_SYNCER_TEST_CLOCK_SKEW_MS must be an integer number of milliseconds, got ${JSON.stringify(raw)}`);
  return skewedClock(skew);
}
