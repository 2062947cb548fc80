// The one writer of the syncer's identity objects (identity.ts renders them): used by
// `kplane workload sync` (syncer/prepare.ts), which creates them before the first syncer
// starts, and by the SyncTarget reconciler's identity step, which repairs drift. Both write
// as one field manager with the same owner reference, so server-side apply sees one owner
// of every field and neither caller leaves fields the other must fight over.
import type { ScopedClient } from '../../client/clusterclient.ts';
import { ClusterRoleBindingGVR, ClusterRoleGVR, type GVR, ServiceAccountGVR } from '../../client/gvr.ts';
import type { KubeObject, OwnerReference } from '../../client/object.ts';
import { renderSyncerIdentity } from './identity.ts';

/** The field manager of the identity objects: the SyncTarget controller, their long-term owner. */
export const SYNCER_IDENTITY_FIELD_MANAGER = 'kplane-synctarget';

const GVR_BY_KIND: Record<string, GVR> = { ServiceAccount: ServiceAccountGVR, ClusterRole: ClusterRoleGVR, ClusterRoleBinding: ClusterRoleBindingGVR };

/** The SyncTarget: its name and uid, and spec.syncer.heartbeatLease (whether its syncer gets a Lease). */
type Owner = Parameters<typeof renderSyncerIdentity>[0];

/** The SyncTarget as controller owner of what is made for it. */
export function syncTargetOwnerRef(syncTarget: Owner): OwnerReference {
  return { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', name: syncTarget.metadata.name ?? '', uid: syncTarget.metadata.uid ?? '', controller: true, blockOwnerDeletion: false };
}

/** Is this owner reference one to a SyncTarget (what syncTargetOwnerRef writes)? */
export function isSyncTargetOwnerRef(ref: OwnerReference): boolean {
  return ref.kind === 'SyncTarget' && ref.apiVersion.startsWith('workload.kcp.io/');
}

export interface ApplyIdentityOptions {
  /** Skip objects the caller knows are already as desired (the reconciler's cache check). */
  upToDate?: (desired: KubeObject) => boolean;
}

/** Server-side apply (forced) of [ServiceAccount, ClusterRole, ClusterRoleBinding]; returns what was written. */
export async function applySyncerIdentity(ws: ScopedClient, syncTarget: Owner, opts: ApplyIdentityOptions = {}): Promise<KubeObject[]> {
  const applied: KubeObject[] = [];
  for (const desired of renderSyncerIdentity(syncTarget)) {
    if (opts.upToDate?.(desired)) continue;
    desired.metadata.ownerReferences = [syncTargetOwnerRef(syncTarget)];
    const client = ws.resource(GVR_BY_KIND[desired.kind ?? '']!, desired.metadata.namespace ?? '');
    applied.push(await client.apply(desired, { fieldManager: SYNCER_IDENTITY_FIELD_MANAGER, force: true }));
  }
  return applied;
}
