// The heartbeat controller (kcp ran one too, beside the SyncTarget controller): watches
// SyncTargets through the shared informer, records when each new beat value arrives, and on
// its own rate-limited queue keeps HeartbeatHealthy — and the Ready it summarises into —
// exactly on time. Separate from the SyncTarget controller so that its exact requeues never
// become that controller's error backoff (a deploy failing against an unreachable physical
// cluster), which would declare a silent syncer not Ready late, just when clusters fail.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import { SyncTargetGVR } from '../../../client/gvr.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { Controller } from '../../../controller/runner.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import { deletedObject, type EventHandler } from '../../../informer/handlers.ts';
import type { SharedInformerFactory } from '../../../informer/factory.ts';
import { keyOf, splitKey } from '../../../informer/keys.ts';
import { heartbeatOf } from './judge.ts';
import { HeartbeatLeaseCache, type HeartbeatLeaseObject } from './leases.ts';
import type { Logger } from '../../../log/logger.ts';
import type { ControllerMetrics } from '../../../controller/metrics-hooks.ts';
import type { QueueMetricsProvider } from '../../../workqueue/metrics-hooks.ts';
import { RateLimitingQueue } from '../../../workqueue/rate-limiting-queue.ts';
import { HeartbeatTracker } from './heartbeat-tracker.ts';
import { reconcileHeartbeat } from './reconcile.ts';
import { CONTROLLER_NAME, type HeartbeatDeps } from './types.ts';

/**
 * Reconciles are one cache read and at most one status write, but a fleet's beats arrive in
 * bursts and each write waits for an fsync: many writes in flight let the storage commit them in
 * groups, so the stale-time rechecks do not queue. 64 is about what the client's connection
 * pool (64 sockets) can carry at once: at 10,000 SyncTargets whose beats all stop, staleness p99
 * past the threshold went 6.8 s → 1.9 s → 0.8 s → 1.0 s with 16, 48, 64 and 96 workers (one
 * run each; the bulk run at 2,000 showed no cost, docs/design.md §11 fifth round).
 */
export const DEFAULT_WORKERS = 64;

export interface HeartbeatControllerOptions {
  clusterClient: ClusterClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  logger: Logger;
  thresholdMs: number;
  /** The tracker of observed beats; pass one shared with the SyncTarget controller (judge.ts). */
  heartbeats?: HeartbeatTracker;
  /** Syncers' heartbeat Leases (leases.ts); without it only status beats count. */
  leases?: HeartbeatLeaseCache;
  workers?: number;
  now?: () => number;
  metrics?: ControllerMetrics;
  queueMetrics?: QueueMetricsProvider;
}

export class HeartbeatController {
  readonly queue: RateLimitingQueue<string>;
  readonly deps: HeartbeatDeps;
  private readonly controller: Controller<string>;
  /** Keys whose newer version is to be judged ahead of the queue when its event arrives (expedite). */
  private readonly expedited = new Set<string>();

  constructor(opts: HeartbeatControllerOptions) {
    const logger = opts.logger.child({ controller: CONTROLLER_NAME });
    // Rechecks are deadlines (a beat going stale): once due they go ahead of the informer's
    // events, so a burst of beats cannot delay the staleness verdict behind it.
    this.queue = new RateLimitingQueue<string>({ name: CONTROLLER_NAME, readyFirst: true, ...(opts.queueMetrics ? { metricsProvider: opts.queueMetrics } : {}) });
    const syncTargets = opts.informers.forResource<SyncTarget>(SyncTargetGVR);
    this.deps = {
      clusterClient: opts.clusterClient,
      syncTargets: syncTargets.lister,
      recorder: opts.recorder,
      now: opts.now ?? Date.now,
      thresholdMs: opts.thresholdMs,
      heartbeats: opts.heartbeats ?? new HeartbeatTracker(),
      ...(opts.leases ? { leaseOf: (st: SyncTarget) => opts.leases!.leaseOf(st) } : {}),
    };
    syncTargets.addEventHandler(this.handler());
    opts.leases?.informer.addEventHandler(this.leaseHandler());
    this.controller = new Controller<string>({
      name: CONTROLLER_NAME,
      queue: this.queue,
      workers: opts.workers ?? DEFAULT_WORKERS,
      hasSynced: () => syncTargets.hasSynced() && (opts.leases?.informer.hasSynced() ?? true),
      logger,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      reconcile: async (key, rctx) => {
        const outcome = await reconcileHeartbeat(this.deps, key, rctx.signal);
        if (outcome.conflictedAt !== undefined) this.expedite(key, outcome.conflictedAt);
        rctx.logger.debug('heartbeat checked', { key, summary: outcome.summary });
        return outcome.result;
      },
    });
  }

  private handler(): EventHandler<SyncTarget> {
    return {
      onAdd: (o) => this.observeBeat(keyOf(o), o),
      onUpdate: (a, b) => {
        if (a.metadata.resourceVersion !== b.metadata.resourceVersion) this.observeBeat(keyOf(b), b);
      },
      onDelete: (o) => {
        const key = keyOf(deletedObject(o));
        this.expedited.delete(key);
        this.queue.add(key);
      },
    };
  }

  /**
   * A status write lost to a newer version (409): judge that version ahead of the queue. Its
   * informer event would add the key at the back, behind every event of a burst of beats, and
   * a verdict due at a deadline (HeartbeatHealthy turning False) waited there for seconds
   * (~100 targets ~9 s late at 10,000 in one run, docs/design.md §11 tenth round). If the cache
   * already has the newer version the key goes first now; otherwise its event puts it first.
   * Either way no write is retried against the version that lost. (`addAfter(key, 0)` is
   * addFirst: this queue is readyFirst.)
   */
  private expedite(key: string, staleRV: string): void {
    const { cluster, name } = splitKey(key);
    const current = this.deps.syncTargets.cluster(cluster).get(name);
    if (current !== undefined && current.metadata.resourceVersion !== staleRV) {
      this.queue.addAfter(key, 0);
    } else {
      this.expedited.add(key);
    }
  }

  /**
   * Record `st`'s current beat (by status or Lease) and queue it. A beat is observed when its
   * event arrives, not when a worker gets to the key: under a burst the queue can lag, and that
   * lag must not count against the syncer.
   */
  private observeBeat(key: string, st: SyncTarget): void {
    const beat = heartbeatOf(this.deps, st);
    if (beat) this.deps.heartbeats.observe(key, beat, this.deps.now());
    // A key whose verdict lost to this version goes ahead of the queue (expedite).
    if (this.expedited.delete(key)) this.queue.addAfter(key, 0);
    else this.queue.add(key);
  }

  /** A renewed Lease is a beat of the SyncTarget it belongs to, observed as it arrives. */
  private leaseHandler(): EventHandler<HeartbeatLeaseObject> {
    const beat = (lease: HeartbeatLeaseObject) => {
      const key = HeartbeatLeaseCache.ownerKey(lease);
      if (!key) return;
      const { cluster, name } = splitKey(key);
      const st = this.deps.syncTargets.cluster(cluster).get(name);
      // The SyncTarget's own events cover a Lease that arrives before it.
      if (st) this.observeBeat(key, st);
    };
    return {
      onAdd: (l) => beat(l),
      onUpdate: (a, b) => {
        if (a.metadata.resourceVersion !== b.metadata.resourceVersion) beat(b);
      },
      // A deleted Lease is no beat (heartbeat-tracker.ts); the verdict stands until the next.
    };
  }

  /** Re-enqueue every SyncTarget (the periodic safety net). */
  resyncAll(): void {
    for (const st of this.deps.syncTargets.list()) this.queue.add(keyOf(st));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }
}
