// The one fake clock for tests: time moves only when the test says so. Two ways to move it:
// step(ms) fires due timers synchronously (the work queue's tests count every timer), and
// advance(ms) lets pending promise chains run between timers (loops that await between
// sleeps: leader election). With { autoAdvance: true } every sleep returns at once and moves
// time on by its length, so a loop like the syncer's heartbeat runs deterministically.
import type { Clock, TimerHandle } from './clock.ts';

interface FakeTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly fn: () => void;
}

/** Lets pending promise callbacks (and anything they chain) run before the test continues. */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Several rounds of flushPromises, for chains that await more than once. */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await flushPromises();
}

export interface FakeClockOptions {
  /** Sleeps return at once and move time on by their length (timers still wait for step/advance). */
  autoAdvance?: boolean;
}

export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers = new Map<number, FakeTimer>();
  readonly #autoAdvance: boolean;
  /** Every sleep asked for, in order (ms). */
  readonly sleeps: number[] = [];
  /** Called after each sleep is recorded (e.g. to abort a loop after N sleeps). */
  onSleep: ((ms: number, count: number) => void) | undefined;

  constructor(startMs = 0, opts: FakeClockOptions = {}) {
    this.#now = startMs;
    this.#autoAdvance = opts.autoAdvance ?? false;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { id, dueAt: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    this.sleeps.push(ms);
    if (this.#autoAdvance) {
      this.#now += Math.max(0, ms);
      this.onSleep?.(ms, this.sleeps.length);
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve) => {
      const onAbort = (): void => {
        this.clearTimeout(timer);
        resolve();
      };
      const timer = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.onSleep?.(ms, this.sleeps.length);
    return done;
  }

  /** Number of timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Due time of the earliest pending timer, or undefined. */
  nextDueAt(): number | undefined {
    return this.#earliest()?.dueAt;
  }

  /**
   * Advances time by ms, firing every timer that falls due on the way, including timers that
   * those callbacks schedule inside the window. Ties fire in creation order. Synchronous:
   * promise callbacks run only after the caller yields.
   */
  step(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.dueAt > target) break;
      this.#fire(next);
    }
    this.#now = target;
  }

  /** As step, but lets pending promise chains run before and after each timer fires. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await settle();
      const next = this.#earliest();
      if (next === undefined || next.dueAt > target) break;
      this.#fire(next);
    }
    this.#now = target;
    await settle();
  }

  /** Advance in steps until cond() holds (or fail after maxMs of fake time); returns the fake time taken. */
  async advanceUntil(cond: () => boolean, maxMs: number, stepMs = 100): Promise<number> {
    const start = this.#now;
    while (!cond()) {
      if (this.#now - start > maxMs) throw new Error(`condition not met within ${maxMs} ms of fake time`);
      await this.advance(stepMs);
    }
    return this.#now - start;
  }

  #fire(t: FakeTimer): void {
    this.#timers.delete(t.id);
    this.#now = Math.max(this.#now, t.dueAt);
    t.fn();
  }

  #earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.#timers.values()) {
      if (best === undefined || t.dueAt < best.dueAt || (t.dueAt === best.dueAt && t.id < best.id)) best = t;
    }
    return best;
  }
}
