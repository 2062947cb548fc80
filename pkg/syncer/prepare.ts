// What `kplane workload sync` does in a workspace (like `kubectl kcp workload sync`):
// create or update the SyncTarget, create the syncer's identity, mint a token for it, and
// render the manifests that run the syncer on the physical cluster.
import { ClusterClient, type ScopedClient, type SyncTarget } from '../client/index.ts';
import { isNotFound, StatusError } from '../client/errors.ts';
import type { KubeObject } from '../client/object.ts';
import { syncerIdentityNames } from './manifests/identity.ts';
import { applySyncerIdentity } from './manifests/identity-apply.ts';
import { renderSyncerManifests } from './manifests/render.ts';
import type { ResourceList } from './capacity.ts';
import { formatTime } from '../../apis/meta/v1/time.ts';

/** One year, the longest TokenRequest kplane grants: the manifests are applied by hand. */
export const SYNCER_TOKEN_SECONDS = 365 * 24 * 3600;

export interface PrepareInput {
  clusterClient: ClusterClient;
  workspace: string;
  name: string;
  /** spec.cluster; defaults to the name for a new SyncTarget, unchanged for an existing one. */
  physicalCluster?: string | undefined;
  /** spec.cells; a new (or cell-less) SyncTarget defaults to defaultCells(spec.cluster). */
  cells?: Record<string, string> | undefined;
  image: string;
  heartbeatPeriod?: string | undefined;
  /** Beat by renewing a Lease; defaults to the SyncTarget's spec.syncer.heartbeatLease. */
  heartbeatLease?: boolean | undefined;
  capacity?: ResourceList | undefined;
  /** --resources of the rendered syncer; defaults to DEFAULT_SYNCED_RESOURCES. */
  resources?: readonly string[] | undefined;
  /** kplane's URL as the syncer should reach it, and the CA that signs it. */
  kplaneURL: string;
  caPem: string;
  /** Defaults to the TokenRequest API. */
  mintToken?: TokenMinter | undefined;
}

export interface Prepared {
  syncTarget: SyncTarget;
  token: string;
  objects: KubeObject[];
}

/**
 * The cells of a new SyncTarget when none are given: its own cell, keyed by its physical
 * cluster (SyncTargets sharing cells are treated as one physical cluster; the reconciler
 * requires at least one).
 */
export function defaultCells(physicalCluster: string): Record<string, string> {
  return { cluster: physicalCluster };
}

/**
 * Create the SyncTarget, or update what was asked of an existing one. `heartbeatLease` sets
 * spec.syncer.heartbeatLease, which grants the syncer's identity its Lease (manifests/identity.ts).
 */
export async function ensureSyncTarget(ws: ScopedClient, name: string, physicalCluster: string | undefined, image: string | undefined, cells?: Record<string, string>, heartbeatLease?: boolean): Promise<SyncTarget> {
  const syncTargets = ws.syncTargets();
  try {
    const existing = await syncTargets.get(name);
    const spec: Record<string, unknown> = {};
    if (physicalCluster && existing.spec?.cluster !== physicalCluster) spec.cluster = physicalCluster;
    const syncer: Record<string, unknown> = {};
    if (image && existing.spec?.syncer?.image !== image) syncer.image = image;
    if (heartbeatLease && !existing.spec?.syncer?.heartbeatLease) syncer.heartbeatLease = true;
    if (Object.keys(syncer).length > 0) spec.syncer = syncer;
    return Object.keys(spec).length > 0 ? await syncTargets.patch(name, 'merge', { spec }) : existing;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return syncTargets.create({
      apiVersion: 'workload.kcp.io/v1alpha1',
      kind: 'SyncTarget',
      metadata: { name },
      spec: {
        cluster: physicalCluster ?? name,
        cells: cells ?? defaultCells(physicalCluster ?? name),
        unschedulable: false,
        ...(image || heartbeatLease ? { syncer: { ...(image ? { image } : {}), ...(heartbeatLease ? { heartbeatLease: true } : {}) } } : {}),
      },
    });
  }
}

/** The ServiceAccount a token is minted for. */
export interface ServiceAccountRef {
  workspace: string;
  namespace: string;
  name: string;
  uid: string;
}

/** Mints a bearer token for a ServiceAccount; the default is the TokenRequest API. */
export type TokenMinter = (clusterClient: ClusterClient, sa: ServiceAccountRef) => Promise<string>;

/** Create/update the identity objects in the workspace (the reconciler's applier); returns the ServiceAccount. */
export async function ensureSyncerIdentity(clusterClient: ClusterClient, workspace: string, syncTarget: SyncTarget): Promise<ServiceAccountRef> {
  const applied = await applySyncerIdentity(clusterClient.cluster(workspace), syncTarget);
  const sa = applied.find((o) => o.kind === 'ServiceAccount');
  const n = syncerIdentityNames(syncTarget.metadata.name ?? '', syncTarget.metadata.uid ?? '');
  return { workspace, namespace: n.namespace, name: n.serviceAccount, uid: sa?.metadata.uid ?? '' };
}

export class TokenRequestUnavailableError extends Error {
  constructor(detail: string) {
    super(`this kplane does not serve TokenRequest (POST .../serviceaccounts/<name>/token): ${detail}`);
    this.name = 'TokenRequestUnavailableError';
  }
}

/** TokenRequest (POST /api/v1/namespaces/<ns>/serviceaccounts/<sa>/token), one year. */
export const requestToken: TokenMinter = async (clusterClient, sa) => {
  let reply: { status?: { token?: string } };
  try {
    reply = await clusterClient.transport.json<{ status?: { token?: string } }>({
      method: 'POST',
      path: `/clusters/${sa.workspace}/api/v1/namespaces/${encodeURIComponent(sa.namespace)}/serviceaccounts/${encodeURIComponent(sa.name)}/token`,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: SYNCER_TOKEN_SECONDS } },
    });
  } catch (err) {
    if (isNotFound(err) || isMethodNotAllowed(err)) throw new TokenRequestUnavailableError((err as Error).message);
    throw err;
  }
  const token = reply.status?.token;
  if (!token) throw new Error('kplane returned a TokenRequest without a token');
  return token;
};

const isMethodNotAllowed = (err: unknown): boolean => err instanceof StatusError && err.reason === 'MethodNotAllowed';

export async function prepareSyncer(i: PrepareInput): Promise<Prepared> {
  const ws = i.clusterClient.cluster(i.workspace);
  const syncTarget = await ensureSyncTarget(ws, i.name, i.physicalCluster, i.image, i.cells, i.heartbeatLease);
  const sa = await ensureSyncerIdentity(i.clusterClient, i.workspace, syncTarget);
  const token = await (i.mintToken ?? requestToken)(i.clusterClient, sa);
  const objects = renderSyncerManifests({
    syncTarget,
    workspace: i.workspace,
    kplaneURL: i.kplaneURL,
    caPem: i.caPem,
    token,
    image: i.image,
    heartbeatPeriod: i.heartbeatPeriod ?? syncTarget.spec?.syncer?.heartbeatPeriod,
    heartbeatLease: i.heartbeatLease ?? syncTarget.spec?.syncer?.heartbeatLease,
    capacity: i.capacity,
    resources: i.resources,
  });
  return { syncTarget, token, objects };
}

/** cordon/uncordon/drain: the scheduling switches of a SyncTarget (kcp's unschedulable/evictAfter). */
export function schedulingPatch(action: 'cordon' | 'uncordon' | 'drain', now: Date): { spec: Record<string, unknown> } {
  switch (action) {
    case 'cordon':
      return { spec: { unschedulable: true } };
    case 'uncordon':
      return { spec: { unschedulable: false, evictAfter: null } };
    case 'drain':
      // As kcp: evictAfter alone; it already stops new and existing workloads from staying there.
      return { spec: { evictAfter: formatTime(now) } };
  }
}
