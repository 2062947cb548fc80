// Package cacher: the API server's watch cache (kube-apiserver's cacher). See README.md.
export { CachingStorage, isCachedLister, resourcePrefixOf, type CachedLister } from './caching-storage.ts';
export { ResourceCacher, type ResourceCacherOptions, type CacherLogger } from './resource-cacher.ts';
export { EventRing } from './event-ring.ts';
export { CacheWatcher } from './cache-watcher.ts';
