// Package manifests renders the objects that run a SyncTarget's syncer on a physical cluster.
export * from './names.ts';
export * from './kubeconfig.ts';
export * from './render.ts';
export * from './identity.ts';
export * from './identity-apply.ts';
