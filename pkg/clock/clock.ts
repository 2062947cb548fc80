// The clock seam, one for every package that reads time or waits (work queue, controller
// runner, leader election, syncer heartbeats): injected so tests drive time by hand with
// FakeClock (fake.ts) and never sleep for real.
import { sleep } from './sleep.ts';

/** Opaque handle returned by Clock.setTimeout. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds. realClock: since the epoch; monotonicClock: only differences are meaningful. */
  now(): number;
  /** Calls fn once after ms milliseconds (ms ≤ 0 means "as soon as possible"). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Resolves after ms, or at once (never rejecting) when signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const timers = {
  setTimeout: (fn: () => void, ms: number): TimerHandle => globalThis.setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (handle: TimerHandle): void => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  sleep,
};

/** Wall-clock time: what goes into timestamps and Lease times. */
export const realClock: Clock = { now: () => Date.now(), ...timers };

/**
 * Monotonic time (performance.now()), so wall-clock jumps (NTP, suspend) do not reorder
 * delayed work-queue items or stretch backoffs. Timers keep the process alive, like any
 * pending work; shut queues down to stop.
 */
export const monotonicClock: Clock = { now: () => performance.now(), ...timers };

/** A wall clock `skewMs` off the real one (negative: behind). */
export function skewedClock(skewMs: number): Clock {
  return { now: () => Date.now() + skewMs, ...timers };
}
