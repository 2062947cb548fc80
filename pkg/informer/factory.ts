// SharedInformerFactory: at most one informer per resource, shared by every controller in
// the process, started together and waited on together.
import type { ClusterClient } from '../client/clusterclient.ts';
import type { GVR } from '../client/gvr.ts';
import type { KubeObject } from '../client/object.ts';
import type { Logger } from '../log/logger.ts';
import { metadataOnly, SharedInformer } from './informer.ts';
import type { InformerMetrics } from './metrics.ts';

export interface FactoryOptions {
  clusterClient: ClusterClient;
  logger: Logger;
  metrics?: InformerMetrics;
  /** Watch one logical cluster instead of the wildcard (for unprivileged use). */
  cluster?: string;
}

export interface InformerSelection {
  /** Cache only objects matching this label selector (list and watch are filtered server-side). */
  labelSelector?: string;
  /**
   * Cache only apiVersion, kind and metadata (informer.ts metadataOnly): a separate cache from
   * the whole-object one, shared by every consumer asking for metadata only.
   */
  metadataOnly?: boolean;
  /**
   * The form this consumer's cache keeps (client-go's SetTransform), named: consumers asking
   * for the same name share one cache. It replaces the default transform, so it should drop
   * managedFields too (informer.ts stripManagedFields).
   */
  transform?: NamedTransform;
}

export interface NamedTransform {
  name: string;
  apply: <T extends KubeObject>(obj: T) => T;
}

export class SharedInformerFactory {
  private readonly opts: FactoryOptions;
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly running = new Set<string>();
  private signal: AbortSignal | undefined;

  constructor(opts: FactoryOptions) {
    this.opts = opts;
  }

  /**
   * The shared informer for a resource; with a label selector, the one for that selection (a
   * separate cache: consumers asking for the same selector share it).
   */
  forResource<T extends KubeObject = KubeObject>(gvr: GVR, selection: InformerSelection = {}): SharedInformer<T> {
    if (selection.metadataOnly && selection.transform) throw new Error('an informer selection takes metadataOnly or a transform, not both');
    const form = selection.metadataOnly ? '#metadata' : selection.transform ? `#${selection.transform.name}` : '';
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}${selection.labelSelector ? `?labelSelector=${selection.labelSelector}` : ''}${form}`;
    let inf = this.informers.get(key);
    if (!inf) {
      const scope = this.opts.cluster ? this.opts.clusterClient.cluster(this.opts.cluster) : this.opts.clusterClient.wildcard();
      inf = new SharedInformer<KubeObject>({
        client: scope.resource(gvr),
        logger: this.opts.logger,
        ...(selection.labelSelector ? { labelSelector: selection.labelSelector } : {}),
        ...(selection.metadataOnly ? { transform: metadataOnly } : selection.transform ? { transform: selection.transform.apply } : {}),
        ...(this.opts.metrics ? { metrics: this.opts.metrics } : {}),
      });
      this.informers.set(key, inf);
      // Informers requested after start() start immediately.
      if (this.signal) this.startOne(key, inf, this.signal);
    }
    return inf as unknown as SharedInformer<T>;
  }

  /** Start every informer requested so far (and any requested later). */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const [key, inf] of this.informers) this.startOne(key, inf, signal);
  }

  private startOne(key: string, inf: SharedInformer<KubeObject>, signal: AbortSignal): void {
    if (this.running.has(key)) return;
    this.running.add(key);
    inf.run(signal).catch((err: unknown) => this.opts.logger.error('informer crashed', { resource: key, err: String(err) }));
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }
}
