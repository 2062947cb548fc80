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
// This does what V8's reducer would: every interval it samples the event loop's utilisation and
// the committed heap; after `idleWindows` quiet windows in a row, if the heap has grown by more
// than a threshold since the last reduction, it runs V8's memory-reducing full collection
// (`gc({ flavor: 'last-resort' })`: mark-compact twice, shrink the young generation, release
// pooled pages). At 10,000 targets that takes the process from ~700 MiB to ~400 MiB (README,
// Performance). The collection pauses this isolate's event loop (~50–250 ms at the heaps kplane
// reaches), which is why it waits for quiet and at most once per `minIntervalMs`, like Go's
// runtime forcing a collection after two idle minutes.
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Logger } from '../log/logger.ts';

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
  /** …and at least this fraction of what the last reduction left. */
  minGrowthRatio: number;
  /** Reductions at most this often. */
  minIntervalMs: number;
}

export const DEFAULT_POLICY: ReducerPolicy = {
  idleUtilization: 0.25,
  idleWindows: 2,
  minGrowthBytes: 32 * 2 ** 20,
  minGrowthRatio: 0.25,
  minIntervalMs: 30_000,
};

/** What the reducer remembers between ticks. */
export interface ReducerState {
  quietWindows: number;
  /** Committed heap after the last reduction (or at start, or the lowest seen since). */
  baselineBytes: number;
  lastReductionMs: number;
}

export function initialState(sample: Pick<MemorySample, 'committedBytes' | 'nowMs'>): ReducerState {
  return { quietWindows: 0, baselineBytes: sample.committedBytes, lastReductionMs: sample.nowMs };
}

/** One tick of the policy: the next state, and whether to reduce now. Pure, for tests. */
export function decide(policy: ReducerPolicy, state: ReducerState, sample: MemorySample): { reduce: boolean; state: ReducerState } {
  const quietWindows = sample.utilization < policy.idleUtilization ? state.quietWindows + 1 : 0;
  // V8 shrinking the heap by itself lowers the bar, so growth is counted from the lowest point.
  const baselineBytes = Math.min(state.baselineBytes, sample.committedBytes);
  const growth = sample.committedBytes - baselineBytes;
  const next = { quietWindows, baselineBytes, lastReductionMs: state.lastReductionMs };
  const reduce = quietWindows >= policy.idleWindows
    && growth >= Math.max(policy.minGrowthBytes, baselineBytes * policy.minGrowthRatio)
    && sample.nowMs - state.lastReductionMs >= policy.minIntervalMs;
  return { reduce, state: next };
}

/** Counts and pauses of the reductions (pkg/metrics implements it for Prometheus). */
export interface ReducerMetrics {
  reduced(pauseSeconds: number, releasedBytes: number): void;
}

/**
 * This isolate's memory-reducing full collection. Node exposes V8's `gc` only with
 * --expose-gc, which kplane's launchers, tests and image would each have to pass; setting the
 * flag at run time and reading `gc` from a fresh context gives the same function without it,
 * and the flag is switched off again so that later contexts (worker threads) get no global `gc`.
 */
export function memoryReducingCollection(): () => void {
  const existing = (globalThis as { gc?: NodeJS.GCFunction }).gc;
  let gc = existing;
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    try {
      gc = vm.runInNewContext('gc') as NodeJS.GCFunction;
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  }
  const collect = gc;
  return () => collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

export interface IdleMemoryReducerOptions {
  logger: Logger;
  /** Which isolate this is, for the log ("api-server", "controllers"). */
  isolate: string;
  intervalMs?: number;
  policy?: Partial<ReducerPolicy>;
  metrics?: ReducerMetrics;
  /** The collection to run; memoryReducingCollection() unless a test replaces it. */
  collect?: () => void;
}

export class IdleMemoryReducer {
  private readonly opts: IdleMemoryReducerOptions;
  private readonly policy: ReducerPolicy;
  private readonly collect: () => void;
  private state: ReducerState;
  private elu = performance.eventLoopUtilization();
  private timer: NodeJS.Timeout | undefined;
  /** Reductions run so far (tests, benchmarks). */
  reductions = 0;

  constructor(opts: IdleMemoryReducerOptions) {
    this.opts = opts;
    this.policy = { ...DEFAULT_POLICY, ...opts.policy };
    this.collect = opts.collect ?? memoryReducingCollection();
    this.state = initialState({ committedBytes: committedHeapBytes(), nowMs: performance.now() });
  }

  /** Tick every interval until stop(); the timer never keeps a stopping process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs ?? 5_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Sample, decide, and reduce if due. Returns whether it reduced. */
  tick(): boolean {
    const elu = performance.eventLoopUtilization(this.elu);
    this.elu = performance.eventLoopUtilization();
    const sample = { utilization: elu.utilization, committedBytes: committedHeapBytes(), nowMs: performance.now() };
    const { reduce, state } = decide(this.policy, this.state, sample);
    this.state = state;
    if (!reduce) return false;
    const started = performance.now();
    this.collect();
    const after = committedHeapBytes();
    const pauseSeconds = (performance.now() - started) / 1000;
    this.state = { quietWindows: 0, baselineBytes: after, lastReductionMs: performance.now() };
    this.reductions++;
    this.opts.metrics?.reduced(pauseSeconds, Math.max(0, sample.committedBytes - after));
    this.opts.logger.info('reduced an idle heap', {
      isolate: this.opts.isolate,
      committedMiB: Math.round(sample.committedBytes / 2 ** 20),
      afterMiB: Math.round(after / 2 ** 20),
      pauseMs: Math.round(pauseSeconds * 1000),
    });
    return true;
  }
}

function committedHeapBytes(): number {
  return v8.getHeapStatistics().total_heap_size;
}
