// The metric hooks a work queue reports through: interfaces and no-op defaults only, so this
// package stays free of prom-client. pkg/metrics implements them on Prometheus and cmd/ passes
// that implementation in. Names follow client-go (k8s.io/component-base/metrics/prometheus/
// workqueue), so existing dashboards apply as-is.

/** A gauge that moves by steps, e.g. queue depth. */
export interface GaugeMetric {
  inc(): void;
  dec(): void;
}

/** A gauge that is set to an absolute value. */
export interface SettableGaugeMetric {
  set(value: number): void;
}

export interface CounterMetric {
  inc(): void;
}

/** Observations in seconds (Prometheus convention), whatever the caller measured in. */
export interface HistogramMetric {
  observe(seconds: number): void;
}

/**
 * Creates the metrics of one named work queue; every metric carries the label `name`.
 * The implementation decides buckets; client-go uses exponential buckets from 1e-8s ×10 (10 buckets).
 */
export interface QueueMetricsProvider {
  /** `workqueue_depth` — current number of items waiting (gauge). */
  newDepthMetric(name: string): GaugeMetric;
  /** `workqueue_adds_total` — items handled by add (counter; dedup'd adds not counted). */
  newAddsMetric(name: string): CounterMetric;
  /** `workqueue_queue_duration_seconds` — time an item waits in the queue before get (histogram). */
  newLatencyMetric(name: string): HistogramMetric;
  /** `workqueue_work_duration_seconds` — time between get and done (histogram). */
  newWorkDurationMetric(name: string): HistogramMetric;
  /** `workqueue_unfinished_work_seconds` — summed age of work in progress (settable gauge). */
  newUnfinishedWorkSecondsMetric(name: string): SettableGaugeMetric;
  /** `workqueue_longest_running_processor_seconds` — age of the oldest work in progress. */
  newLongestRunningProcessorSecondsMetric(name: string): SettableGaugeMetric;
  /** `workqueue_retries_total` — addAfter/addRateLimited calls (counter). */
  newRetriesMetric(name: string): CounterMetric;
}

const noopGauge: GaugeMetric = { inc() {}, dec() {} };
const noopSettable: SettableGaugeMetric = { set() {} };
const noopCounter: CounterMetric = { inc() {} };
const noopHistogram: HistogramMetric = { observe() {} };

/** The default: metrics cost nothing when nobody collects them. */
export const noopQueueMetricsProvider: QueueMetricsProvider = {
  newDepthMetric: () => noopGauge,
  newAddsMetric: () => noopCounter,
  newLatencyMetric: () => noopHistogram,
  newWorkDurationMetric: () => noopHistogram,
  newUnfinishedWorkSecondsMetric: () => noopSettable,
  newLongestRunningProcessorSecondsMetric: () => noopSettable,
  newRetriesMetric: () => noopCounter,
};
