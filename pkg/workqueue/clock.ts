// The clock seam. Everything in pkg/workqueue and pkg/controller that reads time or waits
// takes a Clock, so tests drive time by hand (see fake-clock.ts) and never sleep.

/** Opaque handle returned by Clock.setTimeout. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds on a monotonic scale; only differences are meaningful. */
  now(): number;
  /** Calls fn once after ms milliseconds (ms ≤ 0 means "as soon as possible"). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock: performance.now() so that wall-clock jumps (NTP, suspend) do not reorder
 * delayed items. Timers keep the process alive, like any pending work; shut queues down to stop.
 */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
