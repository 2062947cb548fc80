// Package metrics: kplane's Prometheus metrics on prom-client. The hook interfaces belong to
// the packages they measure (workqueue/metrics-hooks.ts, controller/metrics-hooks.ts,
// informer/metrics.ts, server/filters/metrics.ts, storage/interface.ts); the files here
// implement them. `newKplaneMetrics` builds the set one `kplane start` process exposes at /metrics.
import { APIServerMetrics, type ServedResource } from './apiserver.ts';
import { PromControllerMetrics } from './controller.ts';
import { PromInformerMetrics } from './informer.ts';
import { newMetricsRegistry, type MetricsRegistry } from './registry.ts';
import { StorageMetrics } from './storage.ts';
import { PromQueueMetricsProvider } from './workqueue.ts';

export { APIServerMetrics } from './apiserver.ts';
export { PromControllerMetrics } from './controller.ts';
export { PromInformerMetrics } from './informer.ts';
export { exposition, newMetricsRegistry, type MetricsRegistry, type MetricsSource } from './registry.ts';
export { InstrumentedStorage, StorageMetrics } from './storage.ts';
export { registerSyncTargetMetrics, type SyncTargetSource } from './synctargets.ts';
export { PromReducerMetrics } from './memory.ts';
export { registerThreadBusyMetric } from './thread.ts';
export { PromQueueMetricsProvider } from './workqueue.ts';

export interface KplaneMetrics {
  registry: MetricsRegistry;
  apiserver: APIServerMetrics;
  storage: StorageMetrics;
  queue: PromQueueMetricsProvider;
  controller: PromControllerMetrics;
  informer: PromInformerMetrics;
}

export function newKplaneMetrics(served: ServedResource[], opts: { processMetrics?: boolean } = {}): KplaneMetrics {
  const registry = newMetricsRegistry(opts);
  return {
    registry,
    apiserver: new APIServerMetrics(registry, served),
    storage: new StorageMetrics(registry),
    queue: new PromQueueMetricsProvider(registry),
    controller: new PromControllerMetrics(registry),
    informer: new PromInformerMetrics(registry),
  };
}
