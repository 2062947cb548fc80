// The Prometheus registry of one kplane process. A dedicated prom-client Registry (never the
// global one) so that several servers in one test process do not collide, with Node's default
// process metrics (CPU, memory, event-loop lag, GC, open fds) registered once per registry.
import { AggregatorRegistry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue, Registry } from 'prom-client';

export type MetricsRegistry = Registry;

/**
 * Metrics kept outside this registry, read at each scrape: another thread's registry snapshot
 * (`getMetricsAsJSON()`), such as `kplane start`'s controllers on their worker thread.
 */
export type MetricsSource = () => Promise<MetricObjectWithValues<MetricValue<string>>[]>;

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function newMetricsRegistry(opts: { processMetrics?: boolean } = {}): MetricsRegistry {
  const registry = new Registry();
  if (opts.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    // prom-client names three gauges `…_total`, which `promtool check metrics` rejects (only
    // counters end in _total); the same numbers remain as the per-type `nodejs_active_handles`,
    // `nodejs_active_requests` and `nodejs_active_resources` gauges.
    for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  }
  return registry;
}

/**
 * Text exposition of everything registered (Prometheus text format 0.0.4), merged with the
 * sources' snapshots: a family both hold is one family (counters and histograms add up).
 */
export async function exposition(registry: MetricsRegistry, sources: readonly MetricsSource[] = []): Promise<{ contentType: string; body: string }> {
  if (sources.length === 0) return { contentType: registry.contentType, body: await registry.metrics() };
  const snapshots = await Promise.all([registry.getMetricsAsJSON(), ...sources.map((source) => source())]);
  return { contentType: registry.contentType, body: await AggregatorRegistry.aggregate(snapshots).metrics() };
}

/** Exponential buckets as client-go's `prometheus.ExponentialBuckets(start, factor, count)`. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0, v = start; i < count; i++, v *= factor) out.push(Number(v.toPrecision(6)));
  return out;
}
