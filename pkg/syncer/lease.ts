// The syncer's heartbeat Lease (`--heartbeat-lease`), as kubelets renew node Leases
// (KEP-589): a beat is a small write to a small object, instead of a patch of the SyncTarget's
// status, which carries conditions, capacity and synced resources and which every SyncTarget
// watcher receives. The SyncTarget's status is still reported, less often (heartbeat.ts).
//
// The Lease is the one named in the syncer's identity (manifests/identity.ts): in the
// identity's namespace, named after the SyncTarget's name and uid. The first renewal creates it
// by server-side apply, which needs only `patch` on that one name; later renewals are a JSON
// Patch of renewTime guarded by the Lease's uid, so a Lease deleted and recreated meanwhile
// (by an admin, or for a recreated SyncTarget) is applied afresh rather than patched blindly.
import { hostname } from 'node:os';
import { formatMicroTime } from '../../apis/meta/v1/time.ts';
import { isInvalid, isNotFound } from '../client/errors.ts';
import type { JsonPatchOp } from '../client/index.ts';
import type { KubeObject } from '../client/object.ts';
import { syncerIdentityNames } from './manifests/identity.ts';
import { syncTargetOwnerRef } from './manifests/identity-apply.ts';
import { syncerLabels } from './manifests/names.ts';

/** The field manager of the Lease's fields. */
export const SYNCER_LEASE_FIELD_MANAGER = 'kplane-syncer';

/** What the renewer needs of the API: pkg/client's ResourceClient for leases satisfies it. */
export interface LeaseAccess {
  apply(obj: KubeObject, opts: { fieldManager?: string; force?: boolean }): Promise<KubeObject>;
  patch(name: string, type: 'json', patch: JsonPatchOp[]): Promise<KubeObject>;
}

export interface HeartbeatLeaseOptions {
  leases: LeaseAccess;
  syncTargetName: string;
  syncTargetUid: string;
  /** How often the syncer renews; the Lease states four periods as its duration, as kubelets do (10 s, 40 s). */
  periodMs: number;
  /** holderIdentity; defaults to the host name (the pod's name in a cluster). */
  holder?: string;
}

export class HeartbeatLease {
  readonly namespace: string;
  readonly name: string;
  private readonly o: HeartbeatLeaseOptions;
  /** The uid of the Lease we last wrote; undefined until the first apply succeeds. */
  private uid: string | undefined;

  constructor(o: HeartbeatLeaseOptions) {
    this.o = o;
    const names = syncerIdentityNames(o.syncTargetName, o.syncTargetUid);
    this.namespace = names.namespace;
    this.name = names.lease;
  }

  /** The whole Lease as the syncer owns it (exported for tests of its shape). */
  desired(now: Date): KubeObject {
    const owner = { metadata: { name: this.o.syncTargetName, uid: this.o.syncTargetUid } };
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace, labels: syncerLabels(this.o.syncTargetName, this.o.syncTargetUid), ownerReferences: [syncTargetOwnerRef(owner)] },
      spec: { holderIdentity: this.o.holder ?? hostname(), leaseDurationSeconds: Math.max(1, Math.ceil((4 * this.o.periodMs) / 1000)), renewTime: formatMicroTime(now) },
    };
  }

  /** One renewal at `now`; the Lease as written. Throws the API's error when neither the patch nor the apply lands. */
  async renew(now: Date): Promise<KubeObject> {
    if (this.uid !== undefined) {
      try {
        return await this.o.leases.patch(this.name, 'json', [
          { op: 'test', path: '/metadata/uid', value: this.uid },
          { op: 'add', path: '/spec/renewTime', value: formatMicroTime(now) },
        ]);
      } catch (err) {
        // Gone (404) or another Lease by that name (the uid test failed, 422): write ours whole.
        if (!isNotFound(err) && !isInvalid(err)) throw err;
        this.uid = undefined;
      }
    }
    const lease = await this.o.leases.apply(this.desired(now), { fieldManager: SYNCER_LEASE_FIELD_MANAGER, force: true });
    this.uid = lease.metadata.uid;
    return lease;
  }
}
