// Reusable pieces for hack/bench scripts: run an operation for a while (or a count) at a
// given concurrency, summarise latencies into rate and percentiles, print aligned tables.
// Benchmarks report numbers; they never pass or fail on them.

export interface LatencyStats {
  /** Operations completed. */
  count: number;
  /** Wall-clock time of the measured phase. */
  durationMs: number;
  perSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadOptions {
  /** Operations in flight at once (each worker awaits its previous op). Defaults to 1. */
  concurrency?: number;
  /** Stop starting new operations after this long. */
  durationMs?: number;
  /** Or stop after this many operations (whichever comes first). */
  count?: number;
  /** Unmeasured warm-up time before the measured phase. Defaults to 0. */
  warmupMs?: number;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? 0;
}

export function summarize(latenciesMs: number[], durationMs: number): LatencyStats {
  const sorted = Float64Array.from(latenciesMs).sort();
  const arr = Array.from(sorted);
  const total = arr.reduce((a, b) => a + b, 0);
  return {
    count: arr.length,
    durationMs,
    perSecond: durationMs > 0 ? (arr.length * 1000) / durationMs : 0,
    meanMs: arr.length ? total / arr.length : 0,
    p50Ms: percentile(arr, 50),
    p99Ms: percentile(arr, 99),
    maxMs: arr[arr.length - 1] ?? 0,
  };
}

/** Run op(i, worker) in `concurrency` parallel loops until durationMs/count; i is a global sequence number. */
export async function runLoad(op: (i: number, worker: number) => Promise<unknown>, opts: LoadOptions): Promise<LatencyStats> {
  const concurrency = opts.concurrency ?? 1;
  let seq = 0;
  if (opts.warmupMs) {
    const until = performance.now() + opts.warmupMs;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        while (performance.now() < until) await op(seq++, w);
      }),
    );
  }
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = opts.durationMs === undefined ? Infinity : start + opts.durationMs;
  const limit = opts.count ?? Infinity;
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (started < limit && performance.now() < deadline) {
        started++;
        const t0 = performance.now();
        await op(seq++, w);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return summarize(latencies, performance.now() - start);
}

/** The synchronous twin of runLoad for a bare baseline loop. */
export function runSyncLoop(op: (i: number) => void, opts: Pick<LoadOptions, 'durationMs' | 'count'>): LatencyStats {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = opts.durationMs === undefined ? Infinity : start + opts.durationMs;
  const limit = opts.count ?? Infinity;
  for (let i = 0; i < limit; i++) {
    const t0 = performance.now();
    if (t0 >= deadline) break;
    op(i);
    latencies.push(performance.now() - t0);
  }
  return summarize(latencies, performance.now() - start);
}

export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? Math.round(perSecond).toLocaleString('en-US') : perSecond.toFixed(1);
}

export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** "0.42x" style ratio of value to baseline. */
export function formatRatio(value: number, baseline: number): string {
  return baseline > 0 ? `${(value / baseline).toFixed(2)}x` : '-';
}

/** An aligned plain-text table: numbers right-aligned, text left-aligned. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => cells.every((r) => /^[-\d.,x%]*$/.test(r[i] ?? '')));
  const line = (r: readonly string[]) =>
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export interface BenchArgs {
  quick: boolean;
}

export function parseBenchArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  return { quick: argv.includes('--quick') };
}
