// Package syncer is kplane-syncer, the agent that runs beside (or in) a physical cluster and
// proves it is alive: wait for our SyncTarget → check its uid → heartbeat until stopped.
// It reaches kplane only through the cluster-aware client (pkg/client).
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient, type SyncTarget } from '../client/index.ts';
import { Transport } from '../client/transport.ts';
import type { Logger } from '../log/logger.ts';
import type { ResourceList } from './capacity.ts';
import { type Clock, realClock } from '../clock/clock.ts';
import { DEFAULT_STATUS_REPORT_PERIOD_MS, HeartbeatLoop, type HeartbeatOptions } from './heartbeat.ts';
import { HeartbeatLease, type LeaseAccess } from './lease.ts';
import { SYNCER_IDENTITY_NAMESPACE } from './manifests/identity.ts';
import { PhysicalCapacityReader } from './physical-capacity.ts';
import { waitForSyncTarget } from './startup.ts';
import { assessResources, discoveryFrom, type RequestedResource } from './synced-resources.ts';
import type { SyncTargetAccess } from './synctarget-access.ts';
import { runResourceSync } from './sync.ts';

export const SYNCER_COMPONENT = 'kplane-syncer';

export interface SyncerConfig {
  /** Kubeconfig for kplane (its server URL may or may not carry /clusters/<path>). */
  kubeconfigPath: string;
  /** Workspace path of the SyncTarget; defaults to the path in the kubeconfig's server URL. */
  cluster?: string | undefined;
  syncTargetName: string;
  syncTargetUid?: string | undefined;
  heartbeatPeriodMs: number;
  /** Beat by renewing the syncer's Lease (lease.ts), reporting status only when due. */
  heartbeatLease?: boolean | undefined;
  /** With heartbeatLease: the longest time between two status patches. */
  statusReportPeriodMs?: number | undefined;
  capacity?: ResourceList | undefined;
  /** The physical cluster's kubeconfig: without `capacity`, report the sum of its Nodes' resources. */
  physicalKubeconfigPath?: string | undefined;
  /** --resources: checked against the physical cluster and reported as status.syncedResources. */
  resources?: RequestedResource[] | undefined;
  /**
   * Sync the Accepted --resources (needs `resources` and the physical cluster): 'view' (the
   * default) reads and writes kplane through the SyncTarget's syncer view; 'none' through plain
   * /clusters paths (kplane without the view; the identity must be allowed to list every
   * workspace); 'off' only reports status.syncedResources.
   */
  sync?: 'view' | 'none' | 'off' | undefined;
  /** How often to re-read the physical cluster's capacity; defaults to 60s. */
  capacityRefreshMs?: number | undefined;
  logger: Logger;
  clock?: Clock;
  /** Extra heartbeat tuning (tests shorten the auth-failure pause). */
  heartbeat?: Partial<Pick<HeartbeatOptions, 'authFailureBackoffMs' | 'initialBackoffMs' | 'maxBackoffMs'>>;
}

export class MissingClusterError extends Error {
  constructor() {
    super('--from-cluster is required: the kubeconfig server URL names no /clusters/<path>');
    this.name = 'MissingClusterError';
  }
}

/** --from-cluster, else the /clusters/<path> of the kubeconfig's server URL. */
export function resolveCluster(flag: string | undefined, kubeconfig: KubeConfig): string {
  if (flag) return flag;
  const fromURL = Transport.clusterFromKubeconfig(kubeconfig);
  if (fromURL) return fromURL;
  throw new MissingClusterError();
}

function requireLeases(leases: LeaseAccess | undefined): LeaseAccess {
  if (!leases) throw new Error('heartbeatLease needs access to leases (deps.leases)');
  return leases;
}

/** Run until `signal` aborts (resolves) or the SyncTarget turns out to be another one (rejects). */
export async function runSyncer(cfg: SyncerConfig, signal: AbortSignal, deps: { syncTargets?: SyncTargetAccess; leases?: LeaseAccess; cluster?: string } = {}): Promise<void> {
  const clock = cfg.clock ?? realClock;
  let clusterClient: ClusterClient | undefined;
  let syncTargets = deps.syncTargets;
  let leases = deps.leases;
  let cluster = deps.cluster ?? cfg.cluster ?? '';
  if (!syncTargets) {
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromFile(cfg.kubeconfigPath);
    cluster = resolveCluster(cfg.cluster, kubeconfig);
    // A beat that takes longer than its period is worth abandoning and retrying.
    clusterClient = new ClusterClient(kubeconfig, { component: SYNCER_COMPONENT, timeoutMs: Math.max(5_000, Math.min(30_000, cfg.heartbeatPeriodMs)) });
    syncTargets = clusterClient.cluster(cluster).syncTargets();
    leases = clusterClient.cluster(cluster).leases(SYNCER_IDENTITY_NAMESPACE);
  }
  const logger = cfg.logger.child({ syncTarget: cfg.syncTargetName, cluster });
  try {
    logger.info('waiting for the SyncTarget', { expectedUid: cfg.syncTargetUid ?? '(any)' });
    const st: SyncTarget | undefined = await waitForSyncTarget({ syncTargets, name: cfg.syncTargetName, expectedUid: cfg.syncTargetUid, clock, logger, signal });
    if (!st) return;
    const uid = st.metadata.uid ?? '';
    const lease = cfg.heartbeatLease ? new HeartbeatLease({ leases: requireLeases(leases), syncTargetName: cfg.syncTargetName, syncTargetUid: uid, periodMs: cfg.heartbeatPeriodMs }) : undefined;
    logger.info('SyncTarget found, heartbeating', { uid, periodMs: cfg.heartbeatPeriodMs, ...(lease ? { lease: `${lease.namespace}/${lease.name}`, statusReportPeriodMs: cfg.statusReportPeriodMs ?? DEFAULT_STATUS_REPORT_PERIOD_MS } : {}) });
    const loop = new HeartbeatLoop(
      { syncTargets, name: cfg.syncTargetName, uid, periodMs: cfg.heartbeatPeriodMs, clock, logger, capacity: cfg.capacity, lease, statusReportPeriodMs: cfg.statusReportPeriodMs, ...cfg.heartbeat },
      st,
    );
    const physical = cfg.capacity ? undefined : physicalKubeconfig(cfg.physicalKubeconfigPath, logger);
    const stopCapacity = physical ? await watchPhysicalCapacity(physical, cfg.capacityRefreshMs ?? 60_000, loop, logger) : undefined;
    const forResources = cfg.resources && cfg.resources.length > 0 ? physicalKubeconfig(cfg.physicalKubeconfigPath, logger) : undefined;
    if (cfg.resources && cfg.resources.length > 0 && !forResources) logger.warn('--resources needs the physical cluster (--to-kubeconfig, or running inside it): not syncing, only heartbeating');
    const stopResources = forResources ? await watchSyncedResources(forResources, cfg.resources!, cfg.capacityRefreshMs ?? 60_000, loop, logger) : undefined;
    const sync = forResources && (cfg.sync ?? 'view') !== 'off' ? startResourceSync(cfg, forResources, { cluster, name: cfg.syncTargetName, uid }, loop, clock, logger, signal) : undefined;
    try {
      await loop.run(signal);
      await sync;
    } finally {
      stopCapacity?.();
      stopResources?.();
    }
    logger.info('stopped');
  } finally {
    clusterClient?.close();
  }
}

/**
 * Resource sync beside the heartbeat: its health goes out with the beats as the
 * ResourcesSynced condition. A crash of the sync is logged, never fatal to the heartbeat (the
 * physical cluster is still alive even when syncing it fails).
 */
function startResourceSync(cfg: SyncerConfig, physical: KubeConfig, syncTarget: { cluster: string; name: string; uid: string }, loop: HeartbeatLoop, clock: Clock, logger: Logger, signal: AbortSignal): Promise<void> {
  const upstreamKubeconfig = new KubeConfig();
  upstreamKubeconfig.loadFromFile(cfg.kubeconfigPath);
  return runResourceSync({
    upstreamKubeconfig,
    upstreamView: cfg.sync === 'none' ? 'none' : 'view',
    downstreamKubeconfig: physical,
    syncTarget,
    resources: cfg.resources ?? [],
    logger,
    clock,
    onHealth: (h) => loop.setSyncCondition(h.condition()),
  }, signal).catch((err: unknown) => {
    logger.error('resource sync stopped', { error: err instanceof Error ? err.message : String(err) });
  });
}

/**
 * Where the physical cluster is: --to-kubeconfig, else the in-cluster service account when the
 * syncer runs as the Deployment kplane renders (KUBERNETES_SERVICE_HOST is set), else nowhere.
 * A kubeconfig that cannot be loaded is logged: capacity is informative, never fatal.
 */
function physicalKubeconfig(path: string | undefined, logger: Logger): KubeConfig | undefined {
  const kubeconfig = new KubeConfig();
  try {
    if (path) kubeconfig.loadFromFile(path);
    else if (process.env.KUBERNETES_SERVICE_HOST) kubeconfig.loadFromCluster();
    else return undefined;
    return kubeconfig;
  } catch (err) {
    logger.warn('cannot load the physical cluster\'s kubeconfig; capacity is not reported', { error: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

/**
 * Read the physical cluster's Nodes now and every `periodMs`, handing the sums to the loop.
 * A failed read is logged and retried at the next period: capacity is informative, the
 * heartbeat must not depend on it.
 */
async function watchPhysicalCapacity(kubeconfig: KubeConfig, periodMs: number, loop: HeartbeatLoop, logger: Logger): Promise<() => void> {
  const reader = new PhysicalCapacityReader(kubeconfig);
  const refresh = async () => {
    try {
      const r = await reader.read();
      loop.setResources(r.capacity, r.allocatable);
    } catch (err) {
      logger.warn('could not read capacity from the physical cluster', { error: err instanceof Error ? err.message : String(err) });
    }
  };
  await refresh();
  const timer = setInterval(() => void refresh(), periodMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    reader.close();
  };
}

/**
 * Check the requested types against the physical cluster's discovery now and every `periodMs`
 * (a type installed later turns Accepted), handing the result to the loop. A failed read keeps
 * the last result and is retried at the next period.
 */
async function watchSyncedResources(kubeconfig: KubeConfig, requested: RequestedResource[], periodMs: number, loop: HeartbeatLoop, logger: Logger): Promise<() => void> {
  const transport = new Transport(kubeconfig, { userAgent: 'kplane-syncer (discovery)', timeoutMs: 10_000 });
  const get = discoveryFrom(transport);
  const refresh = async () => {
    try {
      loop.setSyncedResources(await assessResources(get, requested));
    } catch (err) {
      logger.warn('could not read the physical cluster\'s discovery', { error: err instanceof Error ? err.message : String(err) });
    }
  };
  await refresh();
  const timer = setInterval(() => void refresh(), periodMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    transport.close();
  };
}
