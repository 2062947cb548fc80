// Prometheus side of pkg/memory's idle heap reductions, per isolate (the API server's main
// thread and the controllers' worker thread each reduce their own heap):
//   kplane_idle_heap_reductions_total{isolate}          reductions run
//   kplane_idle_heap_reduction_pause_seconds{isolate}   how long each paused its event loop
//   kplane_idle_heap_released_bytes_total{isolate}      committed heap given back
import { Counter, Histogram } from 'prom-client';
import type { ReducerMetrics } from '../memory/idle-reducer.ts';
import type { MetricsRegistry } from './registry.ts';

export class PromReducerMetrics implements ReducerMetrics {
  private readonly reductions: Counter<'isolate'>;
  private readonly pauses: Histogram<'isolate'>;
  private readonly released: Counter<'isolate'>;
  private readonly isolate: string;

  constructor(registry: MetricsRegistry, isolate: string) {
    this.isolate = isolate;
    const registers = [registry];
    this.reductions = new Counter({ name: 'kplane_idle_heap_reductions_total', help: 'Memory-reducing full collections run after the isolate went quiet', labelNames: ['isolate'], registers });
    this.pauses = new Histogram({
      name: 'kplane_idle_heap_reduction_pause_seconds',
      help: 'How long each idle heap reduction paused its isolate\'s event loop',
      labelNames: ['isolate'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.released = new Counter({ name: 'kplane_idle_heap_released_bytes_total', help: 'Committed heap bytes given back by idle heap reductions', labelNames: ['isolate'], registers });
    // Present at 0 before the first reduction, so dashboards see the family.
    this.reductions.labels(isolate).inc(0);
    this.released.labels(isolate).inc(0);
  }

  reduced(pauseSeconds: number, releasedBytes: number): void {
    this.reductions.labels(this.isolate).inc();
    this.pauses.labels(this.isolate).observe(pauseSeconds);
    this.released.labels(this.isolate).inc(releasedBytes);
  }
}
