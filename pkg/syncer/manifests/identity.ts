// The syncer's identity inside its workspace (docs/design.md §8 step 3), kcp-style: a
// ServiceAccount plus a ClusterRole/Binding that reach exactly one SyncTarget by
// resourceNames, so its token can read and heartbeat that SyncTarget and nothing else.
// Shared by `kplane workload sync` and the SyncTarget reconciler's identity step.
import type { KubeObject } from '../../client/object.ts';
import { syncerLabels, syncerResourceName } from './names.ts';

/** Where the ServiceAccount lives in the workspace (kcp uses "default" too). */
export const SYNCER_IDENTITY_NAMESPACE = 'default';

export interface SyncerIdentityNames {
  namespace: string;
  serviceAccount: string;
  clusterRole: string;
  clusterRoleBinding: string;
  /**
   * The coordination.k8s.io Lease a syncer renews when it beats by Lease (`--heartbeat-lease`,
   * KEP-589's node leases): in `namespace`, named like the rest, so it changes with the uid and
   * one syncer's token reaches exactly one Lease.
   */
  lease: string;
}

export function syncerIdentityNames(syncTargetName: string, syncTargetUid: string): SyncerIdentityNames {
  const id = syncerResourceName(syncTargetName, syncTargetUid);
  return { namespace: SYNCER_IDENTITY_NAMESPACE, serviceAccount: id, clusterRole: id, clusterRoleBinding: id, lease: id };
}

/** [ServiceAccount, ClusterRole, ClusterRoleBinding], in apply order. */
export function renderSyncerIdentity(syncTarget: { metadata: { name?: string | undefined; uid?: string | undefined }; spec?: { syncer?: { heartbeatLease?: boolean | undefined } | undefined } | undefined }): KubeObject[] {
  const name = syncTarget.metadata.name ?? '';
  const uid = syncTarget.metadata.uid ?? '';
  if (!name || !uid) throw new Error('the SyncTarget needs a name and a uid');
  const n = syncerIdentityNames(name, uid);
  const labels = syncerLabels(name, uid);
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: n.serviceAccount, namespace: n.namespace, labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: n.clusterRole, labels },
      rules: [
        { apiGroups: ['workload.kcp.io'], resources: ['synctargets'], resourceNames: [name], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['workload.kcp.io'], resources: ['synctargets/status'], resourceNames: [name], verbs: ['get', 'update', 'patch'] },
        // Its heartbeat Lease, only when the SyncTarget asks for Lease heartbeats: least
        // privilege, and at 10,000 targets the rule costs ~3 MiB in each cache of ClusterRoles.
        // Kubernetes authorizes a server-side apply that creates an object as `patch` on its
        // name, so the syncer can create this one Lease and no other.
        ...(syncTarget.spec?.syncer?.heartbeatLease ? [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [n.lease], verbs: ['get', 'update', 'patch'] }] : []),
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: n.clusterRoleBinding, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: n.clusterRole },
      subjects: [{ kind: 'ServiceAccount', name: n.serviceAccount, namespace: n.namespace }],
    },
  ];
}
