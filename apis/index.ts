// Every resource kplane serves, in discovery order. The API server derives routing,
// discovery, OpenAPI, admission and Table printing from this one list.
import type { ResourceDefinition } from './resource.ts';
import { DeploymentResource } from './apps/v1/deployment.ts';
import { SelfSubjectReviewResource } from './authentication/v1/selfsubjectreview.ts';
import { SelfSubjectAccessReviewResource, SelfSubjectRulesReviewResource } from './authorization/v1/selfsubjectaccessreview.ts';
import { LeaseResource } from './coordination/v1/lease.ts';
import { ConfigMapResource } from './core/v1/configmap.ts';
import { EventResource } from './core/v1/event.ts';
import { NamespaceResource } from './core/v1/namespace.ts';
import { SecretResource } from './core/v1/secret.ts';
import { ServiceAccountResource } from './core/v1/serviceaccount.ts';
import { ClusterRoleBindingResource, RoleBindingResource } from './rbac/v1/rolebinding.ts';
import { ClusterRoleResource, RoleResource } from './rbac/v1/role.ts';
import { LocationResource } from './scheduling/v1alpha1/location.ts';
import { PlacementResource } from './scheduling/v1alpha1/placement.ts';
import { WorkspaceResource } from './tenancy/v1alpha1/workspace.ts';
import { SyncTargetResource } from './workload/v1alpha1/synctarget.ts';

export const ALL_RESOURCES: ResourceDefinition[] = [
  NamespaceResource,
  ConfigMapResource,
  SecretResource,
  ServiceAccountResource,
  EventResource,
  DeploymentResource,
  SelfSubjectReviewResource,
  SelfSubjectAccessReviewResource,
  SelfSubjectRulesReviewResource,
  LeaseResource,
  RoleResource,
  ClusterRoleResource,
  RoleBindingResource,
  ClusterRoleBindingResource,
  WorkspaceResource,
  SyncTargetResource,
  LocationResource,
  PlacementResource,
];

export {
  ClusterRoleBindingResource, ClusterRoleResource, ConfigMapResource, DeploymentResource, EventResource,
  LeaseResource, LocationResource, NamespaceResource, PlacementResource, RoleBindingResource, RoleResource, SecretResource,
  SelfSubjectAccessReviewResource, SelfSubjectReviewResource, SelfSubjectRulesReviewResource,
  ServiceAccountResource, SyncTargetResource, WorkspaceResource,
};
