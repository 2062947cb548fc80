// Package deploy applies a syncer's manifests to a physical cluster for the SyncTarget
// reconciler's deploy step (server-side apply, field manager "kplane", dependency order),
// removes them in reverse order, and reports the syncer Deployment's availability.
export { applySyncerManifests, deleteSyncerManifests, syncerDeploymentAvailable, DEFAULT_FIELD_MANAGER, type Availability, type DeployOptions } from './deploy.ts';
export { DeployError, classifyDeployError, DEPLOY_REASONS, type DeployErrorKind } from './errors.ts';
export { PhysicalClusterClient, gvrOf } from './physical-client.ts';
