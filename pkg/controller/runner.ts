// The controller runner (controller-runtime's internal controller, client-go's worker loop):
// wait until the informer caches have synced, run N workers that each loop
// get → reconcile → finishReconcile (result.ts) → done, and stop gracefully.
//
// Guarantees, given the work queue's: one key is never reconciled by two workers at once; every
// reconcile has a short id in its log lines, an AbortSignal and a timeout; an exception in one
// reconcile is caught and becomes a rate-limited retry.

import { randomBytes } from 'node:crypto';
import { monotonicClock, type Clock, type TimerHandle } from '../clock/clock.ts';
import type { RateLimitingWorkQueue } from '../workqueue/types.ts';
import { noopControllerMetrics, type ControllerMetrics } from './metrics-hooks.ts';
import { defaultClassify, ReconcileTimeoutError, type ErrorClass } from './errors.ts';
import { errorFields } from '../log/errors.ts';
import { withFields, type ControllerLogger } from './logger.ts';
import { finishReconcile, type ReconcileOutcome, type Result } from './result.ts';

/** Defaults to 60s: long enough for a server-side apply to a slow cluster, short enough to notice a hang. */
export const DEFAULT_RECONCILE_TIMEOUT_MS = 60_000;
/** How often hasSynced() is polled while waiting for caches; defaults to 100ms as client-go. */
export const DEFAULT_CACHE_SYNC_POLL_MS = 100;

export interface ReconcileContext {
  /** 8 hex characters, also in every log line of this reconcile as `reconcileID`. */
  reconcileId: string;
  /** Aborted when the reconcile times out or the controller stops; pass it to every API call. */
  signal: AbortSignal;
  /** Adds controller, key and reconcileID to each line. */
  logger: ControllerLogger;
}

export type Reconcile<K> = (key: K, ctx: ReconcileContext) => Promise<Result | void>;

export interface ControllerOptions<K> {
  /** CONTROLLER_NAME: used in logs and metric labels (use the same for the queue). */
  name: string;
  queue: RateLimitingWorkQueue<K>;
  reconcile: Reconcile<K>;
  /** Concurrent workers; defaults to 1. */
  workers?: number;
  /** True once every informer this controller reads from has synced; defaults to always true. */
  hasSynced?: () => boolean | Promise<boolean>;
  logger: ControllerLogger;
  metrics?: ControllerMetrics;
  /** Per-reconcile timeout; defaults to 60s; 0 disables. */
  reconcileTimeoutMs?: number;
  /** Decides terminal vs transient; defaults to defaultClassify (TerminalError is terminal). */
  classify?: (err: unknown) => ErrorClass;
  clock?: Clock;
  cacheSyncPollMs?: number;
  /** Source of reconcile ids; defaults to sequentialIds(). */
  newReconcileId?: () => string;
}

export class Controller<K = string> {
  readonly name: string;
  readonly queue: RateLimitingWorkQueue<K>;
  readonly #reconcile: Reconcile<K>;
  readonly #workers: number;
  readonly #hasSynced: () => boolean | Promise<boolean>;
  readonly #logger: ControllerLogger;
  readonly #metrics: ControllerMetrics;
  readonly #timeoutMs: number;
  readonly #classify: (err: unknown) => ErrorClass;
  readonly #clock: Clock;
  readonly #pollMs: number;
  readonly #newReconcileId: () => string;
  /** Aborted when run()'s signal fires: tells in-flight reconciles to wrap up. */
  readonly #stopping = new AbortController();
  #started = false;
  #activeWorkers = 0;

  constructor(options: ControllerOptions<K>) {
    this.name = options.name;
    this.queue = options.queue;
    this.#reconcile = options.reconcile;
    this.#workers = Math.max(1, options.workers ?? 1);
    this.#hasSynced = options.hasSynced ?? (() => true);
    this.#logger = withFields(options.logger, { controller: options.name });
    this.#metrics = options.metrics ?? noopControllerMetrics;
    this.#timeoutMs = options.reconcileTimeoutMs ?? DEFAULT_RECONCILE_TIMEOUT_MS;
    this.#classify = options.classify ?? defaultClassify;
    this.#clock = options.clock ?? monotonicClock;
    this.#pollMs = options.cacheSyncPollMs ?? DEFAULT_CACHE_SYNC_POLL_MS;
    this.#newReconcileId = options.newReconcileId ?? sequentialIds();
  }

  /**
   * Runs until `signal` aborts, then shuts the queue down with drain: in-flight reconciles see
   * their signal aborted and are awaited; keys still queued are dropped (done without reconcile).
   * Resolves once every worker has returned. A controller runs once.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new Error(`controller ${this.name} is already running`);
    this.#started = true;
    const stopped = abortPromise(signal);

    this.#logger.info('Waiting for caches to sync');
    if (!(await this.#waitForCacheSync(signal))) {
      this.#logger.info('Stopped before caches synced');
      await this.#stop();
      return;
    }
    this.#logger.info('Starting workers', { workers: this.#workers });
    this.#metrics.setMaxConcurrentReconciles(this.name, this.#workers);
    const workers = Array.from({ length: this.#workers }, () => this.#worker());

    await stopped;
    this.#logger.info('Shutting down, waiting for in-flight reconciles');
    await this.#stop();
    await Promise.all(workers);
    this.#logger.info('All workers finished');
  }

  async #stop(): Promise<void> {
    this.#stopping.abort(new Error(`controller ${this.name} is stopping`));
    await this.queue.shutDownWithDrain();
  }

  async #waitForCacheSync(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      try {
        if (await this.#hasSynced()) return true;
      } catch (err) {
        this.#logger.warn('hasSynced failed; will poll again', errorFields(err));
      }
      await this.#clock.sleep(this.#pollMs, signal);
    }
  }

  async #worker(): Promise<void> {
    for (;;) {
      const item = await this.queue.get();
      if (item.shutdown) return;
      if (this.#stopping.signal.aborted) {
        // Stopping: keys still queued are not worth starting now; the next run lists everything.
        this.queue.done(item.key);
        continue;
      }
      try {
        await this.#processItem(item.key);
      } catch (err) {
        // Only a broken queue or metrics hook gets here (reconcile errors are caught inside);
        // keep the worker alive rather than crash the process with an unhandled rejection.
        this.#logger.error('Worker failed to process item', { key: String(item.key), ...errorFields(err) });
      }
    }
  }

  async #processItem(key: K): Promise<void> {
    const reconcileId = this.#newReconcileId();
    const logger = withFields(this.#logger, { key: String(key), reconcileID: reconcileId });
    const timeout = new AbortController();
    let timer: TimerHandle | undefined;
    if (this.#timeoutMs > 0) {
      timer = this.#clock.setTimeout(() => {
        this.#metrics.incReconcileTimeouts(this.name);
        logger.warn('Reconcile timed out; aborting it', { timeoutMs: this.#timeoutMs });
        timeout.abort(new ReconcileTimeoutError(this.#timeoutMs));
      }, this.#timeoutMs);
    }
    const signal = AbortSignal.any([timeout.signal, this.#stopping.signal]);
    const startedAt = this.#clock.now();
    this.#setActiveWorkers(+1);

    let outcome: ReconcileOutcome;
    try {
      outcome = { returned: await this.#reconcile(key, { reconcileId, signal, logger }) };
    } catch (err) {
      // A reconcile that failed because it was aborted for time reports the timeout, not AbortError.
      outcome = { threw: timeout.signal.aborted ? new ReconcileTimeoutError(this.#timeoutMs, { cause: err }) : err };
    } finally {
      if (timer !== undefined) this.#clock.clearTimeout(timer);
      this.#setActiveWorkers(-1);
    }

    const durationMs = this.#clock.now() - startedAt;
    const disposition = finishReconcile(this.queue, key, outcome, this.#classify);
    this.#metrics.observeReconcileTime(this.name, durationMs / 1000);
    this.#metrics.incReconcileTotal(this.name, disposition.label);
    switch (disposition.label) {
      case 'success':
        logger.debug('Reconciled', { durationMs });
        break;
      case 'requeue_after':
        logger.debug('Reconciled, requeue planned', { durationMs, requeueAfterMs: disposition.requeueAfterMs });
        break;
      case 'requeue':
        logger.debug('Reconciled, requeue requested', { durationMs });
        break;
      case 'error':
        this.#metrics.incReconcileErrors(this.name);
        logger.error('Reconciler error, will retry', {
          durationMs,
          ...errorFields(disposition.error),
          numRequeues: this.queue.numRequeues(key),
        });
        break;
      case 'terminal_error':
        this.#metrics.incReconcileErrors(this.name);
        this.#metrics.incTerminalReconcileErrors(this.name);
        logger.error('Reconciler terminal error, not requeued', { durationMs, ...errorFields(disposition.error) });
        break;
    }
  }

  #setActiveWorkers(delta: number): void {
    this.#activeWorkers += delta;
    this.#metrics.setActiveWorkers(this.name, this.#activeWorkers);
  }
}

function abortPromise(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Reconcile ids for log correlation: a random prefix per runner (so two processes or two runs
 * do not share ids) and a counter. A fresh randomBytes per reconcile was ~1.7 % of the
 * controllers' thread during a bulk create.
 */
export function sequentialIds(): () => string {
  const prefix = randomBytes(3).toString('hex');
  let seq = 0;
  return () => `${prefix}-${(++seq).toString(36)}`;
}
