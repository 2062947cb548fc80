// The clock the elector reads and sleeps on, injected so tests can drive time by hand.
import { sleep } from '../clock/sleep.ts';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolve after ms, or at once (without rejecting) when signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep,
};
