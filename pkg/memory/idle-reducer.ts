// IdleMemoryReducer: give a burst's heap back to the operating system once the process goes
// quiet.
//
// V8 sizes its heap for the allocation rate it last saw. A burst (10,000 SyncTargets created at
// once, a large list) grows the young generation to its maximum and the old generation to a
// multiple of what is live, and nothing shrinks it again while the isolate idles: V8's own
// memory reducer judges the allocation rate from samples taken at garbage collections, so with
// no collection after the burst it keeps seeing the burst's rate and never starts (measured on
// Node 24 with --trace-memory-reducer: "high alloc" every 8 s, forever). A server that served
// one burst would hold its peak resident memory until the next one.
//
// So each thread samples itself every interval: the event loop's utilisation and the committed
// heap. Once it has been quiet for `idleWindows` samples in a row with a heap grown by more than
// a threshold since the last reduction, it runs one minor collection (a scavenge: a few ms on a
// quiet young generation). That collection gives V8's tracer a fresh, low allocation-rate
// sample, and V8's own memory reducer then starts an incremental, memory-reducing mark-compact
// at its next timer (8 s): marking in small steps, young generation shrunk, pooled pages
// released. If the heap is still grown `settleMs` after the first nudge, the thread forces V8's
// memory-reducing full collection itself (`gc({ flavor: 'last-resort' })`: mark-compact until
// nothing more is freed, pooled pages released). V8's reducer alone compacts only the most
// fragmented pages and gave back far less RSS at 10,000 SyncTargets (531 MiB settled against
// 374–386 MiB with the forced collection). The forced one pauses the thread's event loop for the
// whole collection (0.24–0.32 s there after V8's own pass, 0.4–0.5 s without it), which is why it
// comes only after V8 had its chance, only while quiet, and at most once per `minForcedIntervalMs`.
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Logger } from '../log/logger.ts';

/** The messages of the reducer's log lines (the scale benchmark reads them from kplane's log). */
export const REDUCER_LOG = {
  nudged: 'idle with a grown heap: nudged V8\'s memory reducer',
  reduced: 'reduced an idle heap',
} as const;

/** The isolate's state at one tick. */
export interface MemorySample {
  /** Event-loop utilisation (0–1) since the previous tick. */
  utilization: number;
  /** Bytes of heap V8 has committed (v8.getHeapStatistics().total_heap_size). */
  committedBytes: number;
  nowMs: number;
}

export interface ReducerPolicy {
  /** A window whose event-loop utilisation is below this counts as quiet. */
  idleUtilization: number;
  /** Quiet windows in a row before a reduction. */
  idleWindows: number;
  /** Committed heap growth since the last reduction that is worth one: at least this… */
  minGrowthBytes: number;
  /** …and at least this fraction of the baseline. */
  minGrowthRatio: number;
  /** How long V8's memory reducer is given after the first nudge before the full reduction is forced. */
  settleMs: number;
  /** Forced collections at most this often. */
  minForcedIntervalMs: number;
}

export const DEFAULT_POLICY: ReducerPolicy = {
  idleUtilization: 0.25,
  idleWindows: 2,
  minGrowthBytes: 32 * 2 ** 20,
  minGrowthRatio: 0.25,
  settleMs: 20_000,
  minForcedIntervalMs: 300_000,
};

/** What the reducer remembers between ticks. */
export interface ReducerState {
  quietWindows: number;
  /** Committed heap after the last reduction (or at start, or the lowest seen since). */
  baselineBytes: number;
  /** When the current attempt's first nudge ran; undefined: no attempt under way. */
  reducingSinceMs: number | undefined;
  /** Committed heap at the attempt's first nudge (for the log line of V8's reduction). */
  attemptFromBytes: number;
  lastForcedMs: number;
  /** A forced collection ran at the last tick: one more is due at the next quiet one. */
  secondPassDue: boolean;
}

export type ReducerAction = 'none' | 'nudge' | 'force';

export function initialState(sample: Pick<MemorySample, 'committedBytes'>): ReducerState {
  return { quietWindows: 0, baselineBytes: sample.committedBytes, reducingSinceMs: undefined, attemptFromBytes: sample.committedBytes, lastForcedMs: -Infinity, secondPassDue: false };
}

/**
 * One tick of the policy: the next state, and what to do now. Pure, for tests. An attempt is
 * nudges at every quiet tick for `settleMs`; it ends as soon as the heap is back within the
 * growth threshold (V8's reducer did it). If it is not by then, the full reduction is forced:
 * V8's reducer compacts only the most fragmented pages and keeps freed ones, and at 10,000
 * SyncTargets the process still held ~150 MiB more RSS after it than after a forced
 * collection (docs/design.md §11, sixth round).
 *
 * A forced collection is followed by a second one at the next tick, if that is still quiet.
 * The first frees a burst's garbage but leaves the pages it lived on sparse; V8 picks the pages
 * to compact when a collection starts, so only the next one moves the survivors together and
 * releases those pages. At 10,000 SyncTargets the second pass took the API server's committed
 * heap from 127–138 to 113 MiB (docs/design.md §11, eighth round). A tick apart, each pause is
 * one collection's (~0.35 s), not two back to back.
 */
export function decide(policy: ReducerPolicy, state: ReducerState, sample: MemorySample): { action: ReducerAction; state: ReducerState } {
  const quiet = sample.utilization < policy.idleUtilization;
  if (state.secondPassDue) {
    const after = { ...state, secondPassDue: false, quietWindows: quiet ? state.quietWindows + 1 : 0, baselineBytes: sample.committedBytes };
    return { action: quiet ? 'force' : 'none', state: after };
  }
  const quietWindows = quiet ? state.quietWindows + 1 : 0;
  // Growth counts from the lowest point V8 reached, by itself or with help.
  const baselineBytes = Math.min(state.baselineBytes, sample.committedBytes);
  const growth = sample.committedBytes - baselineBytes;
  const next: ReducerState = { ...state, quietWindows, baselineBytes };
  if (!quiet || growth < Math.max(policy.minGrowthBytes, baselineBytes * policy.minGrowthRatio)) return { action: 'none', state: { ...next, reducingSinceMs: undefined } };
  if (quietWindows < policy.idleWindows) return { action: 'none', state: next };
  if (state.reducingSinceMs === undefined) return { action: 'nudge', state: { ...next, reducingSinceMs: sample.nowMs, attemptFromBytes: sample.committedBytes } };
  if (sample.nowMs - state.reducingSinceMs < policy.settleMs) return { action: 'nudge', state: next };
  if (sample.nowMs - state.lastForcedMs >= policy.minForcedIntervalMs) {
    return { action: 'force', state: { ...next, quietWindows: 0, reducingSinceMs: undefined, lastForcedMs: sample.nowMs, secondPassDue: true } };
  }
  // A forced collection ran recently: the heap as it is now is the bar for the next attempt.
  return { action: 'none', state: { ...next, baselineBytes: sample.committedBytes, reducingSinceMs: undefined } };
}

/** The collections run and how long each paused the thread (pkg/metrics implements it for Prometheus). */
export interface ReducerMetrics {
  collected(kind: 'minor' | 'forced', pauseSeconds: number): void;
  /** Committed heap given back: by V8's reducer during an attempt, or by a forced collection. */
  released(bytes: number): void;
}

/** The two collections the reducer runs. */
export interface Collections {
  /** A scavenge: refreshes V8's allocation-rate sample so that its memory reducer starts. */
  minor: () => void;
  /** V8's memory-reducing full collection, run to completion (the fallback). */
  forced: () => void;
}

/**
 * This isolate's collections, or undefined if V8 will not hand them out. Node exposes V8's `gc`
 * only with --expose-gc, which kplane's launchers, tests and image would each have to pass;
 * setting the flag at run time and reading `gc` from a fresh context gives the same function
 * without it. The flag is process-wide and stays on: switching it off again would race with
 * another thread (the controllers' worker) reading its own `gc` at the same moment. Contexts
 * created later get a global `gc`, which nothing in kplane calls.
 */
export function isolateCollections(): Collections | undefined {
  let gc = (globalThis as { gc?: NodeJS.GCFunction }).gc;
  if (typeof gc !== 'function') {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as NodeJS.GCFunction | undefined;
  }
  if (typeof gc !== 'function') return undefined;
  const collect = gc;
  return {
    minor: () => collect({ type: 'minor', execution: 'sync' }),
    forced: () => collect({ type: 'major', execution: 'sync', flavor: 'last-resort' }),
  };
}

export interface IdleMemoryReducerOptions {
  logger: Logger;
  /** Which isolate this is, for the log ("api-server", "controllers"). */
  isolate: string;
  intervalMs?: number;
  policy?: Partial<ReducerPolicy>;
  metrics?: ReducerMetrics;
  /** The collections to run; isolateCollections() unless a test replaces them. */
  collections?: Collections;
}

export class IdleMemoryReducer {
  private readonly opts: IdleMemoryReducerOptions;
  private readonly policy: ReducerPolicy;
  private readonly collections: Collections | undefined;
  private state: ReducerState;
  private elu = performance.eventLoopUtilization();
  private timer: NodeJS.Timeout | undefined;
  /** Whether V8's reduction in the current attempt has been logged. */
  private loggedV8 = false;
  /** Nudges and forced collections run so far (tests, benchmarks). */
  readonly actions = { nudge: 0, force: 0 };

  constructor(opts: IdleMemoryReducerOptions) {
    this.opts = opts;
    this.policy = { ...DEFAULT_POLICY, ...opts.policy };
    this.collections = opts.collections ?? isolateCollections();
    this.state = initialState({ committedBytes: committedHeapBytes() });
  }

  /** Tick every interval until stop(); the timer never keeps a stopping process alive. */
  start(): void {
    if (this.timer) return;
    if (!this.collections) {
      this.opts.logger.warn('idle heap reduction is off: V8 did not provide its gc function', { isolate: this.opts.isolate });
      return;
    }
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs ?? 5_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Sample, decide, and act. Returns what it did. */
  tick(): ReducerAction {
    const elu = performance.eventLoopUtilization(this.elu);
    this.elu = performance.eventLoopUtilization();
    const sample = { utilization: elu.utilization, committedBytes: committedHeapBytes(), nowMs: performance.now() };
    const before = this.state;
    const { action, state } = decide(this.policy, before, sample);
    this.state = state;
    // V8's own reduction, seen at the first tick after it: counted and logged once per attempt.
    if (before.reducingSinceMs !== undefined && !this.loggedV8 && before.attemptFromBytes - sample.committedBytes >= this.policy.minGrowthBytes) {
      this.loggedV8 = true;
      this.opts.metrics?.released(before.attemptFromBytes - sample.committedBytes);
      this.opts.logger.info(REDUCER_LOG.reduced, { isolate: this.opts.isolate, by: 'v8', committedMiB: mib(before.attemptFromBytes), afterMiB: mib(sample.committedBytes) });
    }
    if (action === 'none' || !this.collections) return action;
    const kind = action === 'nudge' ? 'minor' : 'forced';
    const started = performance.now();
    this.collections[kind]();
    const pauseSeconds = (performance.now() - started) / 1000;
    this.opts.metrics?.collected(kind, pauseSeconds);
    if (action === 'force') {
      const after = committedHeapBytes();
      this.state = { ...this.state, baselineBytes: after };
      this.opts.metrics?.released(Math.max(0, sample.committedBytes - after));
      this.opts.logger.info(REDUCER_LOG.reduced, { isolate: this.opts.isolate, by: 'forced', committedMiB: mib(sample.committedBytes), afterMiB: mib(after), pauseMs: Math.round(pauseSeconds * 1000) });
    } else if (before.reducingSinceMs === undefined) {
      this.loggedV8 = false;
      this.opts.logger.info(REDUCER_LOG.nudged, { isolate: this.opts.isolate, committedMiB: mib(sample.committedBytes), pauseMs: Math.round(pauseSeconds * 1000) });
    }
    this.actions[action]++;
    return action;
  }
}

function mib(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

function committedHeapBytes(): number {
  return v8.getHeapStatistics().total_heap_size;
}
