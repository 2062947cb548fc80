// Per-queue bookkeeping behind the metric hooks: when each key was added and when its
// processing started, so latency, work duration and unfinished work can be reported.
// Mirrors client-go's queueMetrics; a queue without a name records nothing.

import type { Clock, TimerHandle } from '../clock/clock.ts';
import {
  noopQueueMetricsProvider,
  type CounterMetric,
  type GaugeMetric,
  type HistogramMetric,
  type QueueMetricsProvider,
  type SettableGaugeMetric,
} from './metrics-hooks.ts';

/** client-go refreshes unfinished-work gauges every 500ms. */
export const UNFINISHED_WORK_UPDATE_PERIOD_MS = 500;

export interface QueueMetrics<K> {
  add(key: K): void;
  get(key: K): void;
  done(key: K): void;
  updateUnfinishedWork(): void;
  /** Starts the periodic unfinished-work refresh (no-op when metrics are off). */
  start(): void;
  stop(): void;
}

class NoopQueueMetrics<K> implements QueueMetrics<K> {
  add(_key: K): void {}
  get(_key: K): void {}
  done(_key: K): void {}
  updateUnfinishedWork(): void {}
  start(): void {}
  stop(): void {}
}

class RecordingQueueMetrics<K> implements QueueMetrics<K> {
  readonly #clock: Clock;
  readonly #depth: GaugeMetric;
  readonly #adds: CounterMetric;
  readonly #latency: HistogramMetric;
  readonly #workDuration: HistogramMetric;
  readonly #unfinished: SettableGaugeMetric;
  readonly #longestRunning: SettableGaugeMetric;
  readonly #addTimes = new Map<K, number>();
  readonly #processingStartTimes = new Map<K, number>();
  #timer: TimerHandle | undefined;

  constructor(name: string, provider: QueueMetricsProvider, clock: Clock) {
    this.#clock = clock;
    this.#depth = provider.newDepthMetric(name);
    this.#adds = provider.newAddsMetric(name);
    this.#latency = provider.newLatencyMetric(name);
    this.#workDuration = provider.newWorkDurationMetric(name);
    this.#unfinished = provider.newUnfinishedWorkSecondsMetric(name);
    this.#longestRunning = provider.newLongestRunningProcessorSecondsMetric(name);
  }

  add(key: K): void {
    this.#adds.inc();
    this.#depth.inc();
    if (!this.#addTimes.has(key)) this.#addTimes.set(key, this.#clock.now());
  }

  get(key: K): void {
    this.#depth.dec();
    const now = this.#clock.now();
    this.#processingStartTimes.set(key, now);
    const addedAt = this.#addTimes.get(key);
    if (addedAt !== undefined) {
      this.#latency.observe((now - addedAt) / 1000);
      this.#addTimes.delete(key);
    }
  }

  done(key: K): void {
    const startedAt = this.#processingStartTimes.get(key);
    if (startedAt !== undefined) {
      this.#workDuration.observe((this.#clock.now() - startedAt) / 1000);
      this.#processingStartTimes.delete(key);
    }
  }

  updateUnfinishedWork(): void {
    const now = this.#clock.now();
    let total = 0;
    let oldest = 0;
    for (const startedAt of this.#processingStartTimes.values()) {
      const age = now - startedAt;
      total += age;
      if (age > oldest) oldest = age;
    }
    this.#unfinished.set(total / 1000);
    this.#longestRunning.set(oldest / 1000);
  }

  start(): void {
    if (this.#timer !== undefined) return;
    const tick = (): void => {
      this.updateUnfinishedWork();
      this.#timer = this.#clock.setTimeout(tick, UNFINISHED_WORK_UPDATE_PERIOD_MS);
    };
    this.#timer = this.#clock.setTimeout(tick, UNFINISHED_WORK_UPDATE_PERIOD_MS);
  }

  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

export function newQueueMetrics<K>(
  name: string | undefined,
  provider: QueueMetricsProvider | undefined,
  clock: Clock,
): QueueMetrics<K> {
  // As client-go: an unnamed queue, or one without a provider, reports nothing.
  if (!name || provider === undefined || provider === noopQueueMetricsProvider) return new NoopQueueMetrics<K>();
  return new RecordingQueueMetrics<K>(name, provider, clock);
}

const noopRetries: CounterMetric = { inc() {} };

/**
 * The retries counter of a delaying queue, created apart from the other queue metrics (as in
 * client-go) so a delaying queue wrapping a named Queue registers each metric exactly once.
 */
export function newRetriesCounter(name: string | undefined, provider: QueueMetricsProvider | undefined): CounterMetric {
  if (!name || provider === undefined) return noopRetries;
  return provider.newRetriesMetric(name);
}
