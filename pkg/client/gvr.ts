// GroupVersionResource descriptors for the types kplane's controllers and syncer use.
// Kept in pkg/client (not apis/) because they describe how to reach a resource over HTTP.

export interface GVR {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

export function apiPath(gvr: Pick<GVR, 'group' | 'version'>): string {
  return gvr.group === '' ? `/api/${gvr.version}` : `/apis/${gvr.group}/${gvr.version}`;
}

export function apiVersionOf(gvr: Pick<GVR, 'group' | 'version'>): string {
  return gvr.group === '' ? gvr.version : `${gvr.group}/${gvr.version}`;
}

export const SyncTargetGVR: GVR = { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets', kind: 'SyncTarget', namespaced: false };
export const WorkspaceGVR: GVR = { group: 'tenancy.kcp.io', version: 'v1alpha1', resource: 'workspaces', kind: 'Workspace', namespaced: false };
export const NamespaceGVR: GVR = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };
export const SecretGVR: GVR = { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true };
export const ConfigMapGVR: GVR = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
export const ServiceAccountGVR: GVR = { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true };
export const EventGVR: GVR = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };
export const ClusterRoleGVR: GVR = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false };
export const ClusterRoleBindingGVR: GVR = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false };
export const RoleGVR: GVR = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', namespaced: true };
export const RoleBindingGVR: GVR = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true };
export const LeaseGVR: GVR = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true };
export const DeploymentGVR: GVR = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
export const LocationGVR: GVR = { group: 'scheduling.kcp.io', version: 'v1alpha1', resource: 'locations', kind: 'Location', namespaced: false };
export const PlacementGVR: GVR = { group: 'scheduling.kcp.io', version: 'v1alpha1', resource: 'placements', kind: 'Placement', namespaced: false };
