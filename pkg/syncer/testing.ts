// Test helpers for the syncer: the shared FakeClock in autoAdvance mode, whose sleeps return at
// once and advance time (and are recorded in clock.sleeps), so loops run deterministically.
import { FakeClock } from '../clock/fake.ts';

export function virtualClock(startMs = Date.UTC(2026, 0, 1, 0, 0, 0)): FakeClock {
  return new FakeClock(startMs, { autoAdvance: true });
}
