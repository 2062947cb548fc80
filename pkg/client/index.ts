// Package client: kplane's cluster-aware client on @kubernetes/client-node's KubeConfig.
export { ClusterClient, ScopedClient, type ClusterClientOptions } from './clusterclient.ts';
export { ResourceClient, type ListOptions, type WatchOptions, type WriteOptions, type PatchOptions, type DeleteOptions, type PatchType, type JsonPatchOp } from './resource.ts';
export { Transport, statusErrorFrom } from './transport.ts';
export * from './gvr.ts';
export * from './object.ts';
export type { Location, LocationSpec, LocationStatus, Placement, PlacementSpec, PlacementStatus, SyncTarget, SyncTargetSpec, SyncTargetStatus, Workspace } from './types.ts';
export * from './errors.ts';
