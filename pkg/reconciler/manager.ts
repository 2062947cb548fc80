// ControllerManager runs kplane's controllers against an API server through the cluster-
// aware client only (never storage), so the same code runs inside `kplane start` (over the
// loopback identity) and as `kplane controllers --kubeconfig …` in a separate process.
// Housekeeping runs on node-cron: a periodic full resync as a safety net, and expiry of old
// Events (kube's --event-ttl, 1h).
import type { TransportConfig } from '../client/transport.ts';
import cron from 'node-cron';
import { ClusterClient } from '../client/clusterclient.ts';
import { EventGVR } from '../client/gvr.ts';
import { isNotFound } from '../client/errors.ts';
import { clusterOf } from '../client/object.ts';
import { ClientEventRecorder } from '../events/recorder.ts';
import { SharedInformerFactory } from '../informer/factory.ts';
import type { Logger } from '../log/logger.ts';
import type { ControllerMetrics } from '../controller/metrics-hooks.ts';
import type { QueueMetricsProvider } from '../workqueue/metrics-hooks.ts';
import type { InformerMetrics } from '../informer/metrics.ts';
import { LocationController } from './scheduling/location/controller.ts';
import { CONTROLLER_NAME as LOCATION_CONTROLLER } from './scheduling/location/types.ts';
import { NamespaceScheduler } from './scheduling/namespace/controller.ts';
import { CONTROLLER_NAME as NAMESPACE_SCHEDULER } from './scheduling/namespace/types.ts';
import { PlacementController } from './scheduling/placement/controller.ts';
import { ResourceLabeller } from './scheduling/resource/controller.ts';
import { CONTROLLER_NAME as RESOURCE_LABELLER } from './scheduling/resource/types.ts';
import { CONTROLLER_NAME as PLACEMENT_CONTROLLER } from './scheduling/placement/types.ts';
import { HeartbeatController } from './workload/heartbeat/controller.ts';
import { HeartbeatTracker } from './workload/heartbeat/heartbeat-tracker.ts';
import { HeartbeatLeaseCache } from './workload/heartbeat/leases.ts';
import { heartbeatOf, type HeartbeatJudge } from './workload/heartbeat/judge.ts';
import type { SyncTarget } from '../client/index.ts';
import type { SyncTargetSource } from '../metrics/synctargets.ts';
import { CONTROLLER_NAME as HEARTBEAT_CONTROLLER } from './workload/heartbeat/types.ts';
import { SyncTargetController } from './workload/synctarget/controller.ts';
import { ManifestDeployer } from './workload/synctarget/syncer-deployer.ts';
import { CONTROLLER_NAME as SYNCTARGET_CONTROLLER } from './workload/synctarget/types.ts';

export const ALL_CONTROLLERS = [SYNCTARGET_CONTROLLER, HEARTBEAT_CONTROLLER, LOCATION_CONTROLLER, PLACEMENT_CONTROLLER, NAMESPACE_SCHEDULER, RESOURCE_LABELLER] as const;

/** --eviction-grace's default: kcp's syncers were given five minutes too. */
export const DEFAULT_EVICTION_GRACE_MS = 5 * 60_000;

export interface ControllerManagerOptions {
  /** Prometheus hooks (pkg/metrics); no-ops when absent. */
  metrics?: { controller?: ControllerMetrics; queue?: QueueMetricsProvider; informer?: InformerMetrics };
  /** How the controllers reach kplane: a KubeConfig (`kplane controllers`) or the server's own BearerTokenConfig. */
  kubeconfig: TransportConfig;
  logger: Logger;
  heartbeatThresholdMs: number;
  /**
   * --eviction-grace: a SyncTarget whose syncer has been down this long loses its namespaces to
   * other SyncTargets, and departures from it are finished without its syncer (default 5m).
   */
  evictionGraceMs?: number;
  /** kplane's URL and CA as syncers on physical clusters should use them. */
  kplaneURL: string;
  caPem: string;
  syncerImage: string;
  /** '*' for all, '-' for none, or a comma-separated list of controller names. */
  controllers: string;
  resyncSchedule?: string;
  eventTTLMs?: number;
}

export function enabledControllers(spec: string): string[] {
  if (spec === '-' || spec === '') return [];
  if (spec === '*') return [...ALL_CONTROLLERS];
  const wanted = spec.split(',').map((s) => s.trim());
  const unknown = wanted.filter((w) => !(ALL_CONTROLLERS as readonly string[]).includes(w));
  if (unknown.length > 0) throw new Error(`unknown controllers: ${unknown.join(', ')} (known: ${ALL_CONTROLLERS.join(', ')})`);
  return wanted;
}

export class ControllerManager {
  readonly clusterClient: ClusterClient;
  readonly informers: SharedInformerFactory;
  readonly syncTargets: SyncTargetController | undefined;
  readonly heartbeats: HeartbeatController | undefined;
  readonly locations: LocationController | undefined;
  readonly placements: PlacementController | undefined;
  readonly namespaceScheduler: NamespaceScheduler | undefined;
  readonly resourceLabeller: ResourceLabeller | undefined;
  private readonly opts: ControllerManagerOptions;
  private readonly logger: Logger;
  /** Aborted when run()'s signal fires: every API call this manager makes is bound to it. */
  readonly #term = new AbortController();

  constructor(opts: ControllerManagerOptions) {
    this.opts = opts;
    this.logger = opts.logger;
    const enabled = enabledControllers(opts.controllers);
    // One client for everything the controllers do (informers, reconciles, Events), bound to
    // the manager's term: when the run ends — shutdown, or a lost lease — calls still in
    // flight are cut off and later ones refused, so a replica that lost its lease stops writing.
    this.clusterClient = new ClusterClient(opts.kubeconfig, { component: 'controller-manager' }).withSignal(this.#term.signal);
    this.informers = new SharedInformerFactory({ clusterClient: this.clusterClient, logger: opts.logger, ...(opts.metrics?.informer ? { metrics: opts.metrics.informer } : {}) });
    // Both SyncTarget writers judge heartbeats from one tracker (heartbeat/judge.ts), so a first
    // beat is written once, by whichever controller gets there first.
    // Syncers may beat by Lease (KEP-589) as well as by status; both controllers read them.
    const leases = enabled.includes(HEARTBEAT_CONTROLLER) ? new HeartbeatLeaseCache(this.informers) : undefined;
    const heartbeat: HeartbeatJudge | undefined = leases ? { heartbeats: new HeartbeatTracker(), thresholdMs: opts.heartbeatThresholdMs, leaseOf: (st) => leases.leaseOf(st) } : undefined;
    this.syncTargets = enabled.includes(SYNCTARGET_CONTROLLER)
      ? new SyncTargetController({
          ...(heartbeat ? { heartbeat } : {}),
          clusterClient: this.clusterClient,
          informers: this.informers,
          recorder: new ClientEventRecorder(this.clusterClient, SYNCTARGET_CONTROLLER, opts.logger),
          deployer: new ManifestDeployer({ kplaneURL: opts.kplaneURL, caPem: opts.caPem, defaultImage: opts.syncerImage }),
          kplaneURL: opts.kplaneURL,
          logger: opts.logger,
          ...(opts.metrics?.controller ? { metrics: opts.metrics.controller } : {}),
          ...(opts.metrics?.queue ? { queueMetrics: opts.metrics.queue } : {}),
        })
      : undefined;
    this.heartbeats = enabled.includes(HEARTBEAT_CONTROLLER)
      ? new HeartbeatController({
          clusterClient: this.clusterClient,
          informers: this.informers,
          recorder: new ClientEventRecorder(this.clusterClient, HEARTBEAT_CONTROLLER, opts.logger),
          logger: opts.logger,
          thresholdMs: opts.heartbeatThresholdMs,
          ...(heartbeat ? { heartbeats: heartbeat.heartbeats } : {}),
          ...(leases ? { leases } : {}),
          ...(opts.metrics?.controller ? { metrics: opts.metrics.controller } : {}),
          ...(opts.metrics?.queue ? { queueMetrics: opts.metrics.queue } : {}),
        })
      : undefined;
    // The scheduling controllers share one shape of options; each records Events as itself.
    const scheduling = (name: string) => ({
      clusterClient: this.clusterClient,
      informers: this.informers,
      recorder: new ClientEventRecorder(this.clusterClient, name, opts.logger),
      logger: opts.logger,
      ...(opts.metrics?.controller ? { metrics: opts.metrics.controller } : {}),
      ...(opts.metrics?.queue ? { queueMetrics: opts.metrics.queue } : {}),
    });
    this.locations = enabled.includes(LOCATION_CONTROLLER) ? new LocationController(scheduling(LOCATION_CONTROLLER)) : undefined;
    this.placements = enabled.includes(PLACEMENT_CONTROLLER) ? new PlacementController(scheduling(PLACEMENT_CONTROLLER)) : undefined;
    const evictionGraceMs = opts.evictionGraceMs ?? DEFAULT_EVICTION_GRACE_MS;
    this.namespaceScheduler = enabled.includes(NAMESPACE_SCHEDULER) ? new NamespaceScheduler({ ...scheduling(NAMESPACE_SCHEDULER), evictionGraceMs }) : undefined;
    this.resourceLabeller = enabled.includes(RESOURCE_LABELLER) ? new ResourceLabeller({ ...scheduling(RESOURCE_LABELLER), evictionGraceMs }) : undefined;
  }

  /** The SyncTargets for the fleet metrics, with each one's last beat by status or Lease. */
  syncTargetSource(): SyncTargetSource | undefined {
    const lister = this.syncTargets?.deps.listers.syncTargets;
    if (!lister) return undefined;
    const judge = this.syncTargets?.deps.heartbeat;
    return { list: () => lister.list(), ...(judge ? { lastHeartbeat: (st: SyncTarget) => heartbeatOf(judge, st)?.at } : {}) };
  }

  hasSynced(): boolean {
    return this.informers.hasSynced();
  }

  /** Run until the signal aborts; resolves when every controller has stopped. */
  async run(signal: AbortSignal): Promise<void> {
    const controllers = [this.syncTargets, this.heartbeats, this.locations, this.placements, this.namespaceScheduler, this.resourceLabeller].filter((c) => c !== undefined);
    if (controllers.length === 0) return;
    const endTerm = () => this.#term.abort(signal.reason ?? new Error('controller manager stopped'));
    if (signal.aborted) endTerm();
    else signal.addEventListener('abort', endTerm, { once: true });
    this.informers.start(signal);
    const tasks = [
      cron.schedule(this.opts.resyncSchedule ?? '*/10 * * * *', () => controllers.forEach((c) => c.resyncAll()), { name: 'resync' }),
      cron.schedule('17 * * * *', () => void this.expireEvents(), { name: 'event-expiry' }),
    ];
    try {
      await Promise.all(controllers.map((c) => c.run(signal)));
    } finally {
      for (const t of tasks) await t.stop();
      this.clusterClient.close();
    }
  }

  /** Delete Events whose last occurrence is older than the TTL, across every workspace. */
  async expireEvents(): Promise<number> {
    const ttl = this.opts.eventTTLMs ?? 3600_000;
    const cutoff = Date.now() - ttl;
    let deleted = 0;
    try {
      const list = await this.clusterClient.wildcard().resource(EventGVR).listAll();
      for (const ev of list.items) {
        const last = Date.parse(String(ev.lastTimestamp ?? ev.eventTime ?? ev.metadata.creationTimestamp ?? ''));
        if (!Number.isFinite(last) || last >= cutoff) continue;
        try {
          await this.clusterClient.cluster(clusterOf(ev)).events(ev.metadata.namespace ?? 'default').delete(ev.metadata.name ?? '');
          deleted++;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      if (deleted > 0) this.logger.info('expired events', { deleted });
    } catch (err) {
      this.logger.warn('event expiry failed', { err: err instanceof Error ? err.message : String(err) });
    }
    return deleted;
  }
}
