// The cache of syncers' heartbeat Leases (pkg/syncer/lease.ts; KEP-589's node leases for
// SyncTargets). A SyncTarget's Lease is found by name, never by what a Lease claims: the name
// is derived from the SyncTarget's name and uid (syncer/manifests/identity.ts) and a syncer's
// token may write that one Lease only, so one syncer can never beat for another SyncTarget.
// The Lease's owner reference only says which SyncTarget to look at again when it changes.
import type { KubeObject, SyncTarget } from '../../../client/index.ts';
import { LeaseGVR } from '../../../client/gvr.ts';
import { clusterOf } from '../../../client/object.ts';
import type { NamedTransform, SharedInformerFactory } from '../../../informer/factory.ts';
import type { SharedInformer } from '../../../informer/informer.ts';
import { clusterKey } from '../../../informer/keys.ts';
import { syncerIdentityNames } from '../../../syncer/manifests/identity.ts';
import { isSyncTargetOwnerRef } from '../../../syncer/manifests/identity-apply.ts';
import type { HeartbeatLeaseView } from '../synctarget/types.ts';

/** Every object of a syncer carries this label (syncer/manifests/names.ts syncerLabels). */
export const SYNCER_LEASE_SELECTOR = 'app.kubernetes.io/name=kplane-syncer';

export interface HeartbeatLeaseObject extends KubeObject, HeartbeatLeaseView {}

/**
 * What the cache keeps of a Lease: its identity, owner and renewTime. Holder, duration and
 * labels are the syncer's business; at 10,000 SyncTargets the difference is a few MiB.
 */
export const heartbeatLeaseForm: NamedTransform = {
  name: 'heartbeat-lease',
  apply: <T extends KubeObject>(obj: T): T => {
    const { managedFields: _m, labels: _l, ...metadata } = obj.metadata;
    const renewTime = (obj as HeartbeatLeaseObject).spec?.renewTime;
    return { apiVersion: obj.apiVersion, kind: obj.kind, metadata, spec: renewTime !== undefined ? { renewTime } : {} } as unknown as T;
  },
};

export class HeartbeatLeaseCache {
  readonly informer: SharedInformer<HeartbeatLeaseObject>;

  constructor(informers: SharedInformerFactory) {
    this.informer = informers.forResource<HeartbeatLeaseObject>(LeaseGVR, { labelSelector: SYNCER_LEASE_SELECTOR, transform: heartbeatLeaseForm });
  }

  /** The heartbeat Lease of `st`'s syncer, if it has one. */
  leaseOf(st: SyncTarget): HeartbeatLeaseObject | undefined {
    const uid = st.metadata.uid;
    const name = st.metadata.name;
    if (!uid || !name) return undefined;
    const names = syncerIdentityNames(name, uid);
    return this.informer.lister.cluster(clusterOf(st)).namespace(names.namespace).get(names.lease);
  }

  /** The key of the SyncTarget a Lease says it belongs to (checked again by leaseOf's name). */
  static ownerKey(lease: KubeObject): string | undefined {
    const owner = lease.metadata.ownerReferences?.find(isSyncTargetOwnerRef);
    if (!owner?.name || !owner.uid) return undefined;
    const names = syncerIdentityNames(owner.name, owner.uid);
    if (lease.metadata.name !== names.lease || lease.metadata.namespace !== names.namespace) return undefined;
    return clusterKey(clusterOf(lease), '', owner.name);
  }
}
