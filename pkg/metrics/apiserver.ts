// kube-apiserver's request metrics on prom-client (the names dashboards expect), behind
// pkg/server/filters/metrics.ts's RequestMetrics. Cardinality is bounded on purpose: no cluster,
// namespace, name or user labels; `resource` is a served plural (else "unknown"), or
// "nonresource" with the first path segment as `path` folded to a fixed set.
import type { ServerResponse } from 'node:http';
import { Counter, Gauge } from 'prom-client';
import type { RequestMetrics } from '../server/filters/metrics.ts';
import type { AvailabilityMetrics, ConnectionCloseReason } from '../server/httpx/availability-metrics.ts';
import type { RequestInfo } from '../server/request/requestinfo.ts';
import { FastHistogram, type HistogramSeries } from './fast-histogram.ts';
import { exposition, type MetricsRegistry, type MetricsSource } from './registry.ts';

/** kube-apiserver's apiserver_request_duration_seconds buckets (5ms … 60s). */
const REQUEST_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

/** request verbs as kube labels them (upper case HTTP-ish verbs, LIST and WATCH apart). */
const VERB_LABEL: Record<string, string> = {
  get: 'GET',
  list: 'LIST',
  watch: 'WATCH',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETECOLLECTION',
};
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const KNOWN_SUBRESOURCES = new Set(['', 'status', 'token', 'scale', 'log']);

export interface ServedResource {
  group: string;
  plural: string;
}

type RequestLabels = 'verb' | 'group' | 'resource' | 'subresource' | 'code';
type SeriesLabels = { verb: string; group: string; resource: string; subresource: string };

/**
 * One (verb, group, resource, subresource)'s request figures, found once per request by a
 * string key: the duration series, and the answers per code not yet added to the prom-client
 * counter (added when Prometheus scrapes). prom-client hashed the label set on every call, four
 * times per request with the gauge and the counter.
 */
interface RequestSeries {
  labels: SeriesLabels;
  /** Created at the first timed request: watches have none (no empty histogram for them). */
  duration: HistogramSeries | undefined;
  pendingByCode: Map<number, number>;
}

export class APIServerMetrics implements RequestMetrics, AvailabilityMetrics {
  private readonly registry: MetricsRegistry;
  /** Other threads' metrics, merged into /metrics at each scrape (the controllers' worker). */
  readonly sources: MetricsSource[] = [];
  private readonly served: Set<string>;
  private readonly total: Counter<RequestLabels>;
  private readonly duration: FastHistogram<'verb' | 'group' | 'resource' | 'subresource'>;
  private readonly inflight: Gauge<'request_kind'>;
  /** Requests in flight, read by the gauge when Prometheus scrapes. */
  private readOnlyInflight = 0;
  private mutatingInflight = 0;
  private readonly series = new Map<string, RequestSeries>();
  private readonly watchers: Gauge<'group' | 'resource'>;
  private readonly terminatedWatchers: Counter<'group' | 'resource'>;
  private readonly closedConnections: Counter<'reason'>;

  constructor(registry: MetricsRegistry, served: ServedResource[]) {
    this.registry = registry;
    this.served = new Set(served.map((r) => `${r.group}/${r.plural}`));
    const registers = [registry];
    this.total = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, group, resource, subresource and HTTP response code.',
      labelNames: ['verb', 'group', 'resource', 'subresource', 'code'],
      registers,
      collect: () => this.flushTotals(),
    });
    this.duration = new FastHistogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, group, resource and subresource (watches excluded: they are long-running).',
      labelNames: ['verb', 'group', 'resource', 'subresource'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.inflight = new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: 'Number of requests in flight by kind (readOnly, mutating); long-running watches are not counted.',
      labelNames: ['request_kind'],
      registers,
      collect: () => {
        this.inflight.labels('readOnly').set(this.readOnlyInflight);
        this.inflight.labels('mutating').set(this.mutatingInflight);
      },
    });
    this.watchers = new Gauge({
      name: 'apiserver_registered_watchers',
      help: 'Number of currently open watch requests by group and resource.',
      labelNames: ['group', 'resource'],
      registers,
    });
    this.terminatedWatchers = new Counter({
      name: 'apiserver_terminated_watchers_total',
      help: 'Watches closed because the client did not read fast enough, by group and resource.',
      labelNames: ['group', 'resource'],
      registers,
    });
    this.closedConnections = new Counter({
      name: 'kplane_connections_closed_total',
      help: 'Connections closed by an availability bound: linger_bytes / linger_deadline (an unread request body too large or too slow after the answer), per_ip_limit (too many connections from one address), max_connections (too many connections in all).',
      labelNames: ['reason'],
      registers,
    });
    for (const r of ['linger_bytes', 'linger_deadline', 'per_ip_limit', 'max_connections'] as const) this.closedConnections.labels(r).inc(0);
  }

  begin(info: RequestInfo | undefined, method: string): (code: number) => void {
    const labels = this.labelsOf(info, method);
    const series = this.seriesOf(labels);
    let ended = false;
    if (labels.verb === 'WATCH') {
      // Long-running: gauged per resource and counted, never timed (kube excludes them too).
      const gauge = this.watchers.labels(labels.group, labels.resource);
      gauge.inc();
      return (code: number) => {
        if (ended) return;
        ended = true;
        gauge.dec();
        countAnswer(series, code);
      };
    }
    const readOnly = READ_ONLY_METHODS.has(method.toUpperCase());
    if (readOnly) this.readOnlyInflight++;
    else this.mutatingInflight++;
    const duration = (series.duration ??= this.duration.series(labels));
    const started = performance.now();
    return (code: number) => {
      if (ended) return;
      ended = true;
      if (readOnly) this.readOnlyInflight--;
      else this.mutatingInflight--;
      duration.observe((performance.now() - started) / 1000);
      countAnswer(series, code);
    };
  }

  private seriesOf(labels: SeriesLabels): RequestSeries {
    const key = `${labels.verb}\u0000${labels.group}\u0000${labels.resource}\u0000${labels.subresource}`;
    let s = this.series.get(key);
    if (s === undefined) {
      s = { labels, duration: undefined, pendingByCode: new Map() };
      this.series.set(key, s);
    }
    return s;
  }

  /** Adds the answers counted since the last scrape to apiserver_request_total (its collect). */
  private flushTotals(): void {
    for (const s of this.series.values()) {
      for (const [code, n] of s.pendingByCode) {
        if (n > 0) this.total.inc({ ...s.labels, code: String(code) }, n);
      }
      s.pendingByCode.clear();
    }
  }

  watcherTerminated(group: string, resource: string): void {
    const known = this.served.has(`${group}/${resource}`);
    this.terminatedWatchers.labels(known ? group : '', known ? resource : 'unknown').inc();
  }

  connectionClosed(reason: ConnectionCloseReason): void {
    this.closedConnections.labels(reason).inc();
  }

  async serve(res: ServerResponse): Promise<void> {
    const { contentType, body } = await exposition(this.registry, this.sources);
    res.statusCode = 200;
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-cache, private');
    res.end(body);
  }

  /** Labels from a parsed request, every value drawn from a bounded set. */
  labelsOf(info: RequestInfo | undefined, method: string): { verb: string; group: string; resource: string; subresource: string } {
    const m = method.toUpperCase();
    if (!info || !info.isResourceRequest) {
      return { verb: KNOWN_METHODS.has(m) ? m : 'OTHER', group: '', resource: 'nonresource', subresource: '' };
    }
    const known = this.served.has(`${info.group}/${info.resource}`);
    return {
      verb: VERB_LABEL[info.verb] ?? 'OTHER',
      group: known ? info.group : '',
      resource: known ? info.resource : 'unknown',
      subresource: KNOWN_SUBRESOURCES.has(info.subresource) ? info.subresource : 'other',
    };
  }
}

function countAnswer(series: RequestSeries, code: number): void {
  series.pendingByCode.set(code, (series.pendingByCode.get(code) ?? 0) + 1);
}
