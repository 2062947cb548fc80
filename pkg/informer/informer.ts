// SharedInformer: one list+watch of a resource across every logical cluster (the wildcard
// `/clusters/*`), feeding a keyed cache and any number of event handlers. Like client-go's
// reflector it resumes a broken watch from the last resourceVersion it saw (no replay), and
// relists only on 410 Expired — diffing the new list against the cache so that unchanged
// objects fire no events and vanished ones fire a tombstone delete. It never stops on its
// own: every failure is logged, counted and retried with jittered backoff.
import type { ResourceClient } from '../client/resource.ts';
import type { KubeObject, WatchEvent } from '../client/object.ts';
import { isExpired, StatusError } from '../client/errors.ts';
import type { Logger } from '../log/logger.ts';
import { sharedStrings } from '../intern/intern.ts';
import { sleep } from '../clock/sleep.ts';
import { errorFields } from '../log/errors.ts';
import { DeletedFinalStateUnknown, type EventHandler } from './handlers.ts';
import { Indexer, type IndexFunc } from './indexer.ts';
import { keyOf } from './keys.ts';
import { Lister } from './lister.ts';
import { type InformerMetrics, noopInformerMetrics } from './metrics.ts';

export interface SharedInformerOptions<T extends KubeObject> {
  /** A wildcard (or single-cluster) client for the resource. */
  client: ResourceClient<T>;
  logger: Logger;
  indexers?: Record<string, IndexFunc<T>>;
  metrics?: InformerMetrics;
  /** Cache only objects matching this label selector (server-side on list and watch). */
  labelSelector?: string;
  /** Page size of lists (default 500). */
  pageSize?: number;
  /** Backoff after a failed list/watch: initial and maximum (defaults 800 ms … 30 s). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Server-side watch timeout range; the watch is then re-opened from the last RV (default 300–600 s). */
  watchTimeoutSeconds?: number;
  /**
   * Applied to every object before it is cached (client-go's SetTransform). Defaults to
   * dropping metadata.managedFields, which controllers never read and which can be most of an
   * object's size; pass `(o) => o` to keep objects whole.
   */
  transform?: (obj: T) => T;
}

/** The default transform: strip managedFields (kube controllers do the same). */
export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * kubectl's copy of the whole object (Secret data included) in an annotation: a metadata-only
 * cache that kept it would hold the object after all.
 */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A transform keeping only apiVersion, kind and metadata (without managedFields and kubectl's
 * last-applied copy): for controllers that read labels, annotations and finalizers of objects
 * whose bodies (Secret data, Deployment specs) they never look at. The list and watch still
 * carry whole objects; the cache does not keep them.
 */
export function metadataOnly<T extends KubeObject>(obj: T): T {
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  if (metadata.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined) {
    const { [LAST_APPLIED_ANNOTATION]: _copy, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...(obj.apiVersion ? { apiVersion: obj.apiVersion } : {}), ...(obj.kind ? { kind: obj.kind } : {}), metadata } as T;
}

export class SharedInformer<T extends KubeObject> {
  readonly indexer: Indexer<T>;
  readonly lister: Lister<T>;
  readonly resource: string;
  private readonly opts: SharedInformerOptions<T>;
  private readonly handlers: EventHandler<T>[] = [];
  private readonly metrics: InformerMetrics;
  private readonly transform: (obj: T) => T;
  private synced = false;
  private started = false;
  private lastRV = '';
  private syncWaiters: (() => void)[] = [];

  constructor(opts: SharedInformerOptions<T>) {
    this.opts = opts;
    this.indexer = new Indexer<T>(opts.indexers ?? {});
    this.lister = new Lister(this.indexer);
    this.metrics = opts.metrics ?? noopInformerMetrics;
    this.transform = opts.transform ?? stripManagedFields;
    this.resource = `${opts.client.gvr.resource}${opts.client.gvr.group ? '.' + opts.client.gvr.group : ''}`;
  }

  /** Add a handler; if the cache is already filled, the handler gets an add for every object. */
  addEventHandler(handler: EventHandler<T>): void {
    this.handlers.push(handler);
    if (this.synced) for (const obj of this.indexer.list()) handler.onAdd?.(obj, true);
  }

  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    this.indexer.addIndexers(indexers);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** The last resourceVersion observed (list, event or bookmark). */
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => resolve(this.synced);
      this.syncWaiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Run until the signal aborts. Safe to call once. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`informer for ${this.resource} already started`);
    this.started = true;
    let backoff = this.opts.backoffInitialMs ?? 800;
    const maxBackoff = this.opts.backoffMaxMs ?? 30_000;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.listAndReplace(signal);
          needList = false;
        }
        await this.watchOnce(signal);
        backoff = this.opts.backoffInitialMs ?? 800; // a watch that ran cleanly resets the backoff
      } catch (err) {
        if (signal.aborted) break;
        if (isExpired(err)) {
          this.opts.logger.info('watch expired; relisting', { resource: this.resource, resourceVersion: this.lastRV });
          this.metrics.watchError(this.resource, 'Expired');
          needList = true;
          continue;
        }
        const reason = err instanceof Error ? err.message : String(err);
        this.opts.logger.warn('list/watch failed; retrying', { resource: this.resource, backoffMs: Math.round(backoff), err: reason });
        this.metrics.watchError(this.resource, 'Error');
        await sleep(backoff * (0.5 + Math.random()), signal);
        backoff = Math.min(maxBackoff, backoff * 2);
      }
    }
  }

  private selector(): { labelSelector?: string } {
    return this.opts.labelSelector ? { labelSelector: this.opts.labelSelector } : {};
  }

  private async listAndReplace(signal?: AbortSignal): Promise<void> {
    const list = await this.opts.client.listAll({ ...this.selector(), ...(signal ? { signal } : {}) }, this.opts.pageSize ?? 500);
    const seen = new Set<string>();
    const initial = !this.synced;
    for (const item of list.items) {
      const obj = this.toCached(item);
      const key = keyOf(obj);
      seen.add(key);
      const old = this.indexer.get(key);
      if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) continue;
      this.indexer.upsert(obj);
      if (old) this.dispatch((h) => h.onUpdate?.(old, obj));
      else this.dispatch((h) => h.onAdd?.(obj, initial));
    }
    for (const key of this.indexer.keys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.remove(key)!;
      this.dispatch((h) => h.onDelete?.(new DeletedFinalStateUnknown(key, old)));
    }
    this.lastRV = list.metadata.resourceVersion ?? '';
    this.metrics.relist(this.resource);
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private async watchOnce(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const base = this.opts.watchTimeoutSeconds ?? 300;
    const stream = this.opts.client.watch({
      ...this.selector(),
      resourceVersion: this.lastRV,
      allowWatchBookmarks: true,
      timeoutSeconds: Math.round(base * (1 + Math.random())),
      signal,
    });
    this.metrics.watchStarted(this.resource);
    for await (const ev of stream) {
      if (signal.aborted) return;
      this.handleEvent(ev);
    }
  }

  private handleEvent(ev: WatchEvent<T>): void {
    if (ev.type === 'ERROR') {
      const status = ev.object as unknown as { code?: number; reason?: string; message?: string };
      if (status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone') {
        throw new StatusError('Expired', status.message ?? 'watch expired');
      }
      throw new Error(`watch error: ${status.message ?? JSON.stringify(ev.object)}`);
    }
    const rv = ev.object.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (rv) this.lastRV = rv;
      return;
    }
    const obj = this.toCached(ev.object);
    const key = keyOf(obj);
    this.metrics.event(this.resource, ev.type);
    if (ev.type === 'DELETED') {
      this.indexer.remove(key);
      this.dispatch((h) => h.onDelete?.(obj));
    } else {
      const old = this.indexer.upsert(obj);
      if (old) {
        if (old.metadata.resourceVersion !== rv) this.dispatch((h) => h.onUpdate?.(old, obj));
      } else {
        this.dispatch((h) => h.onAdd?.(obj, false));
      }
    }
    if (rv) this.lastRV = rv;
  }

  /** The form the cache keeps: transformed, its repeated strings shared with the rest of the process (pkg/intern). */
  private toCached(obj: T): T {
    const kept = this.transform(obj);
    sharedStrings.internValues(kept);
    return kept;
  }

  private dispatch(fn: (h: EventHandler<T>) => void): void {
    for (const h of this.handlers) {
      try {
        fn(h);
      } catch (err) {
        // A handler bug must not stop the informer; handlers should only enqueue keys.
        this.opts.logger.error('event handler threw', { resource: this.resource, ...errorFields(err) });
      }
    }
  }
}
