// Resource sync: the types to sync (the --resources the physical cluster Accepted, resolved
// through its discovery), one informer pair per type plus namespaces (upstream through the
// syncer view, downstream by our ownership label), the spec (down) and status (up)
// controllers, and the health that the heartbeat reports as the ResourcesSynced condition.
import type { KubeConfig } from '@kubernetes/client-node';
import { syncerViewPath } from '../../apis/workload/v1alpha1/sync-contract.ts';
import { stateLabelKey, toSyncTargetKey } from '../../apis/workload/v1alpha1/synctargetkey.ts';
import { ClusterClient } from '../client/clusterclient.ts';
import { NamespaceGVR, type GVR } from '../client/gvr.ts';
import { CLUSTER_ANNOTATION, type KubeObject } from '../client/object.ts';
import { SharedInformer, stripManagedFields } from '../informer/informer.ts';
import type { Logger } from '../log/logger.ts';
import { errorFields } from '../log/errors.ts';
import type { Clock } from '../clock/clock.ts';
import { retryDelay } from './backoff.ts';
import type { SyncContext, TypeInformers } from './shared/context.ts';
import { SyncHealth } from './shared/health.ts';
import { DOWNSTREAM_CLUSTER_LABEL, type SyncTargetIdentity } from './shared/locator.ts';
import { resolveSyncedTypes, type SyncedType } from './shared/types.ts';
import { SpecController } from './spec/controller.ts';
import { StatusController } from './status/controller.ts';
import { assessResources, discoveryFrom, type RequestedResource } from './synced-resources.ts';
import { Transport } from '../client/transport.ts';

export const SYNCER_USER_AGENT = 'kplane-syncer';

export interface ResourceSyncOptions {
  /** kplane kubeconfig (the syncer's identity). */
  upstreamKubeconfig: KubeConfig;
  /** 'view' (default): through syncerViewPath; 'none': plain /clusters (needs wildcard rights). */
  upstreamView: 'view' | 'none';
  /** The physical cluster. */
  downstreamKubeconfig: KubeConfig;
  syncTarget: { cluster: string; name: string; uid: string };
  resources: RequestedResource[];
  logger: Logger;
  clock: Clock;
  /** Called with the condition whenever sync's health changes. */
  onHealth: (h: SyncHealth) => void;
  workers?: number;
  resyncMs?: number;
}

/** The downstream informers' transform: our keys are plain (no logical cluster), managedFields unused. */
function plainObject(o: KubeObject): KubeObject {
  const s = stripManagedFields(o);
  if (s.metadata.annotations?.[CLUSTER_ANNOTATION] === undefined) return s;
  const { [CLUSTER_ANNOTATION]: _cluster, ...annotations } = s.metadata.annotations;
  return { ...s, metadata: { ...s.metadata, annotations } };
}

/** Runs until `signal` aborts. Waits (retrying with backoff) until the physical cluster's discovery answers. */
export async function runResourceSync(o: ResourceSyncOptions, signal: AbortSignal): Promise<void> {
  const me: SyncTargetIdentity = { ...o.syncTarget, key: toSyncTargetKey(o.syncTarget.cluster, o.syncTarget.name) };
  const logger = o.logger.child({ component: 'resource-sync' });
  const health = new SyncHealth();
  health.onChange = () => o.onHealth(health);
  const prefix = o.upstreamView === 'view' ? syncerViewPath(me.cluster, me.name, me.uid) : '';
  const upstream = new ClusterClient(o.upstreamKubeconfig, { component: SYNCER_USER_AGENT, pathPrefix: prefix });
  const downClient = new ClusterClient(o.downstreamKubeconfig, { component: SYNCER_USER_AGENT });
  try {
    const types = await waitForTypes(o, downClient.transport, health, logger, signal);
    if (!types) return;
    logger.info('syncing resources', { types: types.map((t) => t.name), upstream: prefix || '/clusters (no view)' });
    const upInformer = (gvr: GVR) => new SharedInformer<KubeObject>({ client: upstream.wildcard().resource(gvr), logger, labelSelector: stateLabelKey(me.key) });
    const downInformer = (gvr: GVR) => new SharedInformer<KubeObject>({ client: downClient.plain().resource(gvr), logger, labelSelector: `${DOWNSTREAM_CLUSTER_LABEL}=${me.key}`, transform: plainObject });
    const typeInformers = new Map<string, TypeInformers>(types.map((t) => [t.name, { type: t, up: upInformer(t.gvr), down: downInformer(t.gvr) }]));
    const ctx: SyncContext = {
      me,
      upstream,
      downstream: downClient.plain(),
      upNamespaces: upInformer(NamespaceGVR),
      downNamespaces: downInformer(NamespaceGVR),
      types: typeInformers,
      health,
      logger,
      now: () => o.clock.now(),
    };
    const spec = new SpecController(ctx, { ...(o.workers ? { workers: o.workers } : {}), ...(o.resyncMs ? { resyncMs: o.resyncMs } : {}) });
    const status = new StatusController(ctx);
    o.onHealth(health);
    const informers = [ctx.upNamespaces, ctx.downNamespaces, ...[...typeInformers.values()].flatMap((t) => [t.up, t.down])];
    await Promise.all([...informers.map((i) => i.run(signal)), spec.run(signal), status.run(signal)]);
  } finally {
    upstream.close();
    downClient.close();
  }
}

/** The synced types, once the physical cluster's discovery answers; undefined if stopped first. */
async function waitForTypes(o: ResourceSyncOptions, transport: Transport, health: SyncHealth, logger: Logger, signal: AbortSignal): Promise<SyncedType[] | undefined> {
  const get = discoveryFrom(transport);
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      const { types, skipped } = await resolveSyncedTypes(get, await assessResources(get, o.resources));
      for (const s of skipped) logger.warn('not syncing a type', { type: s.name, reason: s.reason });
      health.downstreamOk();
      return types;
    } catch (err) {
      health.downstreamFailed(err instanceof Error ? err.message : String(err), o.clock.now());
      const delay = retryDelay('transient', attempt, { initialMs: 1000, maxMs: 30_000 });
      logger.warn('cannot read the physical cluster\'s discovery; retrying', { retryInMs: delay, ...errorFields(err) });
      await o.clock.sleep(delay, signal);
    }
  }
  return undefined;
}
