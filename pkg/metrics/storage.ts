// InstrumentedStorage wraps any storage.Storage by delegation and records, per operation and
// backend, latency and failures; the current and compacted revisions and the open storage
// watches are read when Prometheus scrapes. Wrapping keeps both backends free of prom-client.
import { Counter, Gauge } from 'prom-client';
import { isStorageError } from '../storage/errors.ts';
import type { ListOptions, ListResult, Preconditions, Storage, StoredObject, UpdateFunc, WatchEvent, Watcher, WatchOptions } from '../storage/interface.ts';
import { FastHistogram, type HistogramSeries } from './fast-histogram.ts';
import type { MetricsRegistry } from './registry.ts';

/** Sub-millisecond to seconds: SQLite reads are ~50µs, an fsync'd write ~1ms, etcd a few ms. */
const STORAGE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Operation = 'create' | 'get' | 'list' | 'update' | 'guaranteed_update' | 'delete' | 'watch' | 'compact';

/** The metric families, shared by every wrapped backend of one registry. */
export class StorageMetrics {
  readonly duration: FastHistogram<'operation' | 'backend'>;
  readonly errors: Counter<'operation' | 'backend' | 'code'>;
  readonly revision: Gauge<'backend'>;
  readonly compacted: Gauge<'backend'>;
  readonly watchers: Gauge<'backend'>;
  private readonly backends = new Map<string, Storage>();

  constructor(registry: MetricsRegistry) {
    const registers = [registry];
    this.duration = new FastHistogram({
      name: 'kplane_storage_operation_duration_seconds',
      help: 'Latency of storage operations by operation and backend (errors included)',
      labelNames: ['operation', 'backend'],
      buckets: STORAGE_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: 'kplane_storage_operation_errors_total',
      help: 'Storage operations that failed, by operation, backend and storage error code (KeyNotFound, Conflict, Unavailable, ...)',
      labelNames: ['operation', 'backend', 'code'],
      registers,
    });
    const backends = this.backends;
    this.revision = new Gauge({
      name: 'kplane_storage_revision',
      help: 'Latest committed storage revision (resourceVersion) by backend',
      labelNames: ['backend'],
      registers,
      async collect() {
        for (const [name, s] of backends) {
          // A closed or unreachable backend must not fail the whole scrape.
          await s.currentRevision().then((r) => this.labels(name).set(r), () => undefined);
        }
      },
    });
    this.compacted = new Gauge({
      name: 'kplane_storage_compacted_revision',
      help: 'Oldest revision still in storage history (watches from older revisions get 410 Gone)',
      labelNames: ['backend'],
      registers,
      async collect() {
        for (const [name, s] of backends) await s.compactedRevision().then((r) => this.labels(name).set(r), () => undefined);
      },
    });
    this.watchers = new Gauge({ name: 'kplane_storage_watchers', help: 'Open storage watches by backend', labelNames: ['backend'], registers });
  }

  /** Wrap a backend; its revision gauges are read from `inner` at scrape time. */
  wrap(inner: Storage): Storage {
    this.backends.set(inner.name, inner);
    this.watchers.labels(inner.name).set(0);
    return new InstrumentedStorage(inner, this);
  }
}

export class InstrumentedStorage implements Storage {
  readonly name: string;
  private readonly inner: Storage;
  private readonly metrics: StorageMetrics;
  /** Each operation's duration series, found once (fast-histogram.ts). */
  private readonly series = new Map<Operation, HistogramSeries>();

  constructor(inner: Storage, metrics: StorageMetrics) {
    this.inner = inner;
    this.metrics = metrics;
    this.name = inner.name;
  }

  private async timed<T>(op: Operation, run: () => Promise<T>): Promise<T> {
    let series = this.series.get(op);
    if (series === undefined) {
      series = this.metrics.duration.series({ operation: op, backend: this.name });
      this.series.set(op, series);
    }
    const started = performance.now();
    try {
      return await run();
    } catch (err) {
      this.metrics.errors.labels(op, this.name, isStorageError(err) ? err.code : 'Other').inc();
      throw err;
    } finally {
      series.observe((performance.now() - started) / 1000);
    }
  }

  create(key: string, obj: StoredObject): Promise<StoredObject> {
    return this.timed('create', () => this.inner.create(key, obj));
  }
  get(key: string): Promise<StoredObject> {
    return this.timed('get', () => this.inner.get(key));
  }
  list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    return this.timed('list', () => this.inner.list(prefix, opts));
  }
  update(key: string, obj: StoredObject, preconditions?: Preconditions): Promise<StoredObject> {
    return this.timed('update', () => this.inner.update(key, obj, preconditions));
  }
  guaranteedUpdate(key: string, tryUpdate: UpdateFunc, preconditions?: Preconditions, cachedExisting?: StoredObject): Promise<StoredObject> {
    return this.timed('guaranteed_update', () => this.inner.guaranteedUpdate(key, tryUpdate, preconditions, cachedExisting));
  }
  delete(key: string, preconditions?: Preconditions): Promise<StoredObject> {
    return this.timed('delete', () => this.inner.delete(key, preconditions));
  }
  async watch(prefix: string, fromRevision: number, opts?: WatchOptions): Promise<Watcher> {
    const w = await this.timed('watch', () => this.inner.watch(prefix, fromRevision, opts));
    const gauge = this.metrics.watchers.labels(this.name);
    gauge.inc();
    return new CountedWatcher(w, () => gauge.dec());
  }
  // Not timed: these are cheap reads that the scrape itself makes.
  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }
  compactedRevision(): Promise<number> {
    return this.inner.compactedRevision();
  }
  compact(revision: number): Promise<void> {
    return this.timed('compact', () => this.inner.compact(revision));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Decrements the open-watch gauge exactly once, on close or when iteration ends. */
class CountedWatcher implements Watcher {
  private readonly inner: Watcher;
  private onEnd: (() => void) | undefined;

  constructor(inner: Watcher, onEnd: () => void) {
    this.inner = inner;
    this.onEnd = onEnd;
  }

  private end(): void {
    const f = this.onEnd;
    this.onEnd = undefined;
    f?.();
  }

  close(): void {
    this.inner.close();
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    try {
      yield* this.inner;
    } finally {
      this.end();
    }
  }
}
