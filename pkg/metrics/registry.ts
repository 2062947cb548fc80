// The Prometheus registry of one kplane process. A dedicated prom-client Registry (never the
// global one) so that several servers in one test process do not collide, with Node's default
// process metrics (CPU, memory, event-loop lag, GC, open fds) registered once per registry.
import { collectDefaultMetrics, Registry } from 'prom-client';

export type MetricsRegistry = Registry;

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

/** Text exposition of everything registered (Prometheus text format 0.0.4). */
export async function exposition(registry: MetricsRegistry): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** Exponential buckets as client-go's `prometheus.ExponentialBuckets(start, factor, count)`. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0, v = start; i < count; i++, v *= factor) out.push(Number(v.toPrecision(6)));
  return out;
}
