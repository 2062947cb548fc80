// `kplane start`'s controllers on a worker thread (--controllers-thread, the default): the API
// server keeps the main event loop and the controllers get their own, so the two use both
// cores of a small machine. The worker (controllers-worker.ts) reaches the server over HTTPS
// with the loopback identity, exactly as in-process controllers do; this side starts it,
// tells /readyz whether its informers have synced, merges its metrics into /metrics, stops it
// on shutdown and restarts it (with backoff) should it ever die on its own.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { sleep } from '../../pkg/clock/sleep.ts';
import { errorFields } from '../../pkg/log/errors.ts';
import type { Logger } from '../../pkg/log/logger.ts';
import type { ControllersWorkerData, FromWorker, ToWorker, WorkerMetrics } from './controllers-protocol.ts';

/** The worker's entry, beside this module: .ts from the sources, .js from dist/. */
const WORKER_ENTRY = new URL(`./controllers-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
/** How long a scrape waits for the worker's metrics before it answers without them. */
const METRICS_TIMEOUT_MS = 5_000;
/** How long a stopping worker may take before it is terminated. */
const STOP_TIMEOUT_MS = 10_000;
const RESTART_BACKOFF_MS = { first: 1_000, max: 30_000 };
/**
 * The worker's young generation. The controllers' garbage is short-lived (decoded watch events,
 * request bodies) and their live data old (informer caches), yet with V8's default young
 * generation the worker's heap grew to 190 MiB at 2,000 SyncTargets (78 MiB used) and never
 * shrank when idle; at 6 MiB it stayed near 74 MiB at the same speed. 8 MiB, a little more
 * room, is what the 10,000-target runs of docs/design.md §11 (fifth round) used.
 */
const WORKER_YOUNG_GENERATION_MB = 8;
/** A worker that ran this long without dying starts the backoff afresh. */
const STABLE_RUN_MS = 60_000;

export class ControllersThread {
  readonly #data: ControllersWorkerData;
  readonly #logger: Logger;
  readonly #entry: URL;
  #worker: Worker | undefined;
  #synced = false;
  #nextId = 0;
  readonly #pending = new Map<number, (m: WorkerMetrics) => void>();

  /** `entry` replaces the worker's module (tests). */
  constructor(data: ControllersWorkerData, logger: Logger, entry: URL = WORKER_ENTRY) {
    this.#data = data;
    this.#logger = logger;
    this.#entry = entry;
  }

  /** Whether the current worker's informers have synced (false while none runs). */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Run the worker until `signal` aborts; one that exits on its own is started again. */
  async run(signal: AbortSignal): Promise<void> {
    let backoff = RESTART_BACKOFF_MS.first;
    while (!signal.aborted) {
      const started = Date.now();
      const code = await this.#runOnce(signal);
      if (signal.aborted) return;
      if (Date.now() - started > STABLE_RUN_MS) backoff = RESTART_BACKOFF_MS.first;
      this.#logger.error('controllers worker exited; starting it again', { exitCode: code, delayMs: backoff });
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, RESTART_BACKOFF_MS.max);
    }
  }

  /** The worker's metrics snapshot, or none when no worker runs or it does not answer in time. */
  metrics(): Promise<WorkerMetrics> {
    const worker = this.#worker;
    if (!worker) return Promise.resolve([]);
    const id = ++this.#nextId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve([]);
      }, METRICS_TIMEOUT_MS);
      this.#pending.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      worker.postMessage({ type: 'metrics', id } satisfies ToWorker);
    });
  }

  /** One worker, from start to exit; resolves to its exit code. */
  #runOnce(signal: AbortSignal): Promise<number> {
    const worker = new Worker(this.#entry, { workerData: this.#data, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    this.#worker = worker;
    this.#synced = false;
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'synced') this.#synced = true;
      else if (m.type === 'metrics') {
        if (m.error) this.#logger.warn('controllers worker could not collect its metrics', { error: m.error });
        this.#pending.get(m.id)?.(m.metrics);
        this.#pending.delete(m.id);
      }
    });
    worker.on('error', (err) => this.#logger.error('controllers worker failed', errorFields(err)));
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      worker.postMessage({ type: 'stop' } satisfies ToWorker);
      killTimer = setTimeout(() => {
        this.#logger.warn('controllers worker did not stop in time; terminating it', { timeoutMs: STOP_TIMEOUT_MS });
        void worker.terminate();
      }, STOP_TIMEOUT_MS);
    };
    signal.addEventListener('abort', stop, { once: true });
    return new Promise((resolve) => {
      worker.once('exit', (code) => {
        clearTimeout(killTimer);
        signal.removeEventListener('abort', stop);
        if (this.#worker === worker) this.#worker = undefined;
        this.#synced = false;
        for (const answer of this.#pending.values()) answer([]);
        this.#pending.clear();
        resolve(code);
      });
    });
  }
}
