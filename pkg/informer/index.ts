// Package informer: shared informers over wildcard list+watch, with logical-cluster-keyed
// caches and listers. See README.md.
export { SharedInformer, stripManagedFields, type SharedInformerOptions } from './informer.ts';
export { SharedInformerFactory, type FactoryOptions } from './factory.ts';
export { Indexer, CLUSTER_INDEX, CLUSTER_AND_NAMESPACE_INDEX, clusterAndNamespace, type IndexFunc } from './indexer.ts';
export { Lister, ClusterLister, NamespaceLister } from './lister.ts';
export { DeletedFinalStateUnknown, deletedObject, type EventHandler } from './handlers.ts';
export { keyOf, clusterKey, splitKey, type SplitKey } from './keys.ts';
export { noopInformerMetrics, type InformerMetrics } from './metrics.ts';
