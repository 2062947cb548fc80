// GroupVersionResource descriptors for the types kplane's controllers and syncer use, derived
// from the ResourceDefinitions in apis/ (the one place a resource's group, version, plural,
// kind and scope are written down). The descriptor itself lives here because it is how a
// client reaches a resource over HTTP.
import type { ResourceDefinition } from '../../apis/resource.ts';
import { DeploymentResource } from '../../apis/apps/v1/deployment.ts';
import { LeaseResource } from '../../apis/coordination/v1/lease.ts';
import { ConfigMapResource } from '../../apis/core/v1/configmap.ts';
import { EventResource } from '../../apis/core/v1/event.ts';
import { NamespaceResource } from '../../apis/core/v1/namespace.ts';
import { SecretResource } from '../../apis/core/v1/secret.ts';
import { ServiceAccountResource } from '../../apis/core/v1/serviceaccount.ts';
import { ClusterRoleBindingResource, RoleBindingResource } from '../../apis/rbac/v1/rolebinding.ts';
import { ClusterRoleResource } from '../../apis/rbac/v1/role.ts';
import { WorkspaceResource } from '../../apis/tenancy/v1alpha1/workspace.ts';
import { SyncTargetResource } from '../../apis/workload/v1alpha1/synctarget.ts';
import { LocationResource } from '../../apis/scheduling/v1alpha1/location.ts';
import { PlacementResource } from '../../apis/scheduling/v1alpha1/placement.ts';

export interface GVR {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** The client-side descriptor of a served resource. */
export function gvrOf(def: Pick<ResourceDefinition, 'group' | 'version' | 'plural' | 'kind' | 'namespaced'>): GVR {
  return { group: def.group, version: def.version, resource: def.plural, kind: def.kind, namespaced: def.namespaced };
}

export function apiPath(gvr: Pick<GVR, 'group' | 'version'>): string {
  return gvr.group === '' ? `/api/${gvr.version}` : `/apis/${gvr.group}/${gvr.version}`;
}

export const SyncTargetGVR = gvrOf(SyncTargetResource);
export const WorkspaceGVR = gvrOf(WorkspaceResource);
export const NamespaceGVR = gvrOf(NamespaceResource);
export const SecretGVR = gvrOf(SecretResource);
export const ConfigMapGVR = gvrOf(ConfigMapResource);
export const ServiceAccountGVR = gvrOf(ServiceAccountResource);
export const EventGVR = gvrOf(EventResource);
export const ClusterRoleGVR = gvrOf(ClusterRoleResource);
export const ClusterRoleBindingGVR = gvrOf(ClusterRoleBindingResource);
export const RoleBindingGVR = gvrOf(RoleBindingResource);
export const LeaseGVR = gvrOf(LeaseResource);
export const DeploymentGVR = gvrOf(DeploymentResource);
export const LocationGVR = gvrOf(LocationResource);
export const PlacementGVR = gvrOf(PlacementResource);
