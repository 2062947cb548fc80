// Test helpers for the syncer: a virtual clock whose sleeps return at once and advance time,
// so loops run deterministically, plus a recorder for what they asked to sleep.
import type { SyncerClock } from './clock.ts';

export class VirtualClock implements SyncerClock {
  private t: number;
  readonly sleeps: number[] = [];
  /** Called after each sleep is recorded (e.g. to abort the loop after N sleeps). */
  onSleep: ((ms: number, count: number) => void) | undefined;

  constructor(startMs = Date.UTC(2026, 0, 1, 0, 0, 0)) {
    this.t = startMs;
  }

  now(): Date {
    return new Date(this.t);
  }

  advance(ms: number): void {
    this.t += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.sleeps.push(ms);
    this.t += ms;
    this.onSleep?.(ms, this.sleeps.length);
  }
}
