// client-go's work-queue metrics (k8s.io/component-base/metrics/prometheus/workqueue) on
// prom-client, behind pkg/workqueue's QueueMetricsProvider (workqueue/metrics-hooks.ts). Every series carries the
// queue's `name` label (the controller name), so cardinality is the number of queues.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { CounterMetric, GaugeMetric, HistogramMetric, QueueMetricsProvider, SettableGaugeMetric } from '../workqueue/metrics-hooks.ts';
import { exponentialBuckets, type MetricsRegistry } from './registry.ts';

/** client-go: ExponentialBuckets(10e-9, 10, 10) — 10ns … 10s. */
const QUEUE_BUCKETS = exponentialBuckets(1e-8, 10, 10);

export class PromQueueMetricsProvider implements QueueMetricsProvider {
  private readonly depth: Gauge<'name'>;
  private readonly adds: Counter<'name'>;
  private readonly latency: Histogram<'name'>;
  private readonly workDuration: Histogram<'name'>;
  private readonly unfinished: Gauge<'name'>;
  private readonly longestRunning: Gauge<'name'>;
  private readonly retries: Counter<'name'>;

  constructor(registry: MetricsRegistry) {
    const registers = [registry];
    this.depth = new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: ['name'], registers });
    this.adds = new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['name'], registers });
    this.latency = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested.',
      labelNames: ['name'],
      buckets: QUEUE_BUCKETS,
      registers,
    });
    this.workDuration = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes.',
      labelNames: ['name'],
      buckets: QUEUE_BUCKETS,
      registers,
    });
    this.unfinished = new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: 'How many seconds of work has done that is in progress and hasn\'t been observed by work_duration. Large values indicate stuck threads.',
      labelNames: ['name'],
      registers,
    });
    this.longestRunning = new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames: ['name'],
      registers,
    });
    this.retries = new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['name'], registers });
  }

  newDepthMetric(name: string): GaugeMetric {
    const g = this.depth.labels(name);
    g.set(0); // expose the series from the start, as client-go does
    return { inc: () => g.inc(), dec: () => g.dec() };
  }
  newAddsMetric(name: string): CounterMetric {
    const c = this.adds.labels(name);
    c.inc(0);
    return { inc: () => c.inc() };
  }
  newLatencyMetric(name: string): HistogramMetric {
    const h = this.latency.labels(name);
    return { observe: (s) => h.observe(s) };
  }
  newWorkDurationMetric(name: string): HistogramMetric {
    const h = this.workDuration.labels(name);
    return { observe: (s) => h.observe(s) };
  }
  newUnfinishedWorkSecondsMetric(name: string): SettableGaugeMetric {
    const g = this.unfinished.labels(name);
    g.set(0);
    return { set: (v) => g.set(v) };
  }
  newLongestRunningProcessorSecondsMetric(name: string): SettableGaugeMetric {
    const g = this.longestRunning.labels(name);
    g.set(0);
    return { set: (v) => g.set(v) };
  }
  newRetriesMetric(name: string): CounterMetric {
    const c = this.retries.labels(name);
    c.inc(0);
    return { inc: () => c.inc() };
  }
}
