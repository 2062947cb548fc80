// Prometheus side of pkg/memory's idle heap reduction, per isolate (the API server's main
// thread and the controllers' worker thread each watch their own heap):
//   kplane_idle_heap_collections_total{isolate,kind}          minor: nudges of V8's memory
//                                                             reducer; forced: the fallback
//   kplane_idle_heap_collection_pause_seconds{isolate,kind}   how long each paused its thread
//   kplane_idle_heap_released_bytes_total{isolate}            committed heap given back meanwhile
import { Counter, Histogram } from 'prom-client';
import type { ReducerMetrics } from '../memory/idle-reducer.ts';
import type { MetricsRegistry } from './registry.ts';

export class PromReducerMetrics implements ReducerMetrics {
  private readonly collections: Counter<'isolate' | 'kind'>;
  private readonly pauses: Histogram<'isolate' | 'kind'>;
  private readonly releasedBytes: Counter<'isolate'>;
  private readonly isolate: string;

  constructor(registry: MetricsRegistry, isolate: string) {
    this.isolate = isolate;
    const registers = [registry];
    this.collections = new Counter({ name: 'kplane_idle_heap_collections_total', help: 'Collections run once the isolate went quiet with a grown heap (minor: nudges of V8\'s memory reducer; forced: the fallback)', labelNames: ['isolate', 'kind'], registers });
    this.pauses = new Histogram({
      name: 'kplane_idle_heap_collection_pause_seconds',
      help: 'How long each idle heap collection paused its isolate\'s event loop',
      labelNames: ['isolate', 'kind'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.releasedBytes = new Counter({ name: 'kplane_idle_heap_released_bytes_total', help: 'Committed heap bytes given back while the idle heap reduction was at work', labelNames: ['isolate'], registers });
    // Present at 0 before the first collection, so dashboards see the series.
    for (const kind of ['minor', 'forced']) this.collections.labels(isolate, kind).inc(0);
    this.releasedBytes.labels(isolate).inc(0);
  }

  collected(kind: 'minor' | 'forced', pauseSeconds: number): void {
    this.collections.labels(this.isolate, kind).inc();
    this.pauses.labels(this.isolate, kind).observe(pauseSeconds);
  }

  released(bytes: number): void {
    this.releasedBytes.labels(this.isolate).inc(bytes);
  }
}
