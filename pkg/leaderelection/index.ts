// Package leaderelection: client-go style leader election over a coordination.k8s.io/v1
// Lease, reached through the cluster-aware client. See README.md.
export { LeaderElector, type LeaderElectorOptions, type LeaderCallbacks, type LeadershipStatus, type ElectorLogger } from './elector.ts';
export { ClientLeaseLock, leaseTime, type Lease, type LeaseLock, type LeaseSpec } from './lease-lock.ts';
export { newIdentity } from './identity.ts';
