// Informer health on prom-client, behind pkg/informer/metrics.ts's InformerMetrics: a watch
// that keeps failing or relisting shows up here before controllers fall behind. Labels are the
// resource (a fixed set: what controllers watch), the watch-error reason and the event type.
import { Counter } from 'prom-client';
import type { InformerMetrics } from '../informer/metrics.ts';
import type { MetricsRegistry } from './registry.ts';

/** Error reasons are free text upstream; keep the label to a known set. */
const KNOWN_REASONS = new Set(['Expired', 'Error', 'Gone', 'Timeout']);

export class PromInformerMetrics implements InformerMetrics {
  private readonly relists: Counter<'resource'>;
  private readonly watchErrors: Counter<'resource' | 'reason'>;
  private readonly watches: Counter<'resource'>;
  private readonly events: Counter<'resource' | 'type'>;

  constructor(registry: MetricsRegistry) {
    const registers = [registry];
    this.relists = new Counter({ name: 'kplane_informer_relists_total', help: 'Full list+replace runs of an informer (initial sync and relists after 410 Gone)', labelNames: ['resource'], registers });
    this.watchErrors = new Counter({
      name: 'kplane_informer_watch_errors_total',
      help: 'Informer watches that ended with an error and were retried after a backoff',
      labelNames: ['resource', 'reason'],
      registers,
    });
    this.watches = new Counter({ name: 'kplane_informer_watches_total', help: 'Watch streams an informer opened', labelNames: ['resource'], registers });
    this.events = new Counter({ name: 'kplane_informer_events_total', help: 'Watch events delivered to informer handlers', labelNames: ['resource', 'type'], registers });
  }

  relist(resource: string): void {
    this.relists.labels(resource).inc();
    // Make the error series visible at 0 as soon as the informer is known.
    this.watchErrors.labels(resource, 'Error').inc(0);
  }
  watchError(resource: string, reason: string): void {
    this.watchErrors.labels(resource, KNOWN_REASONS.has(reason) ? reason : 'Other').inc();
  }
  watchStarted(resource: string): void {
    this.watches.labels(resource).inc();
  }
  event(resource: string, type: string): void {
    this.events.labels(resource, type).inc();
  }
}
