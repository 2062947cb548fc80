// ResourceCacher: kube-apiserver's cacher for one resource. One backend watch on the
// resource's whole key prefix (every cluster, every namespace) feeds an in-memory copy of
// the live objects and an EventRing of recent events; every HTTP watch whose start revision
// is inside the ring's window is served from memory, so N watchers cost one backend watch.
// A watch older than the window goes to storage (which still has it, or answers Expired).
//
// Consistency: the cache is a prefix of the backend's history — after applying the event at
// revision R it holds exactly the state at R. Events are applied and dispatched in one
// synchronous step, and a new watcher replays the ring and is registered in another, so no
// watcher sees a gap or a duplicate. Bookmarks from the backend (progress notify) advance the
// cache's revision without events and are forwarded to watchers that asked for them.
import { isStorageError } from '../../storage/errors.ts';
import type { ListResult, Storage, StoredObject, WatchEvent, WatchOptions, Watcher } from '../../storage/interface.ts';
import { CacheWatcher } from './cache-watcher.ts';
import { compactForCache } from './compact.ts';
import { EventRing } from './event-ring.ts';

export interface CacherLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

export interface ResourceCacherOptions {
  /** Events kept for replay. Defaults to 5000. */
  ringCapacity?: number;
  /** Events one watcher may have queued before it is ended as too slow. Defaults to 10000. */
  maxWatcherQueue?: number;
  /**
   * Encoded bytes of the events kept for replay. Defaults to 64 MiB: a resource of large
   * objects keeps fewer events instead of thousands of megabyte-sized versions.
   */
  ringMaxBytes?: number;
  /**
   * Bytes one watcher may have queued before it is ended as too slow. Defaults to ringMaxBytes
   * (a replay of the whole ring always fits).
   */
  maxWatcherQueueBytes?: number;
  /**
   * Events older than this are dropped from the replay ring (down to ringMinEvents), as
   * kube-apiserver's watch cache sizes its history by a 75 s freshness window: a watcher that
   * broke off resumes within seconds, and the memory a burst of writes took is given back once
   * it is past. An older resume is served by storage. Defaults to 75 s.
   */
  ringMaxAgeMs?: number;
  /** Events kept regardless of age. Defaults to 100. */
  ringMinEvents?: number;
  /** Clock for event ages (tests). Defaults to Date.now. */
  now?: () => number;
  logger?: CacherLogger | undefined;
  /** Pause before re-watching after the backend watch broke (doubles up to 5 s). Defaults to 100 ms. */
  retryBaseMs?: number;
  /**
   * A watcher that asked for bookmarks and got nothing for this long gets one at the cache's
   * revision. Backend bookmarks alone are not enough: a busy resource's backend watch is never
   * idle, yet a watcher of one quiet namespace must still see its revision advance. Defaults to 2000 ms.
   */
  bookmarkIdleMs?: number;
}

type State = 'idle' | 'starting' | 'ready' | 'resyncing' | 'stopped';

export class ResourceCacher {
  readonly resourcePrefix: string;
  private readonly storage: Storage;
  private readonly maxWatcherQueue: number;
  private readonly maxWatcherQueueBytes: number;
  private readonly logger: CacherLogger | undefined;
  private readonly retryBaseMs: number;
  private readonly objects = new Map<string, StoredObject>();
  private readonly ring: EventRing;
  private readonly watchers = new Set<CacheWatcher>();
  private state: State = 'idle';
  private revision = 0;
  private backend: Watcher | undefined;
  private started: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private readonly bookmarkIdleMs: number;
  private readonly ringMaxAgeMs: number;
  private readonly ringMinEvents: number;
  private readonly now: () => number;
  private bookmarkTimer: NodeJS.Timeout | undefined;

  constructor(storage: Storage, resourcePrefix: string, opts: ResourceCacherOptions = {}) {
    this.storage = storage;
    this.resourcePrefix = resourcePrefix;
    const ringMaxBytes = opts.ringMaxBytes ?? 64 * 1024 * 1024;
    this.ring = new EventRing(opts.ringCapacity ?? 5000, 0, ringMaxBytes);
    this.maxWatcherQueue = opts.maxWatcherQueue ?? 10_000;
    this.maxWatcherQueueBytes = Math.max(opts.maxWatcherQueueBytes ?? ringMaxBytes, ringMaxBytes);
    this.logger = opts.logger;
    this.retryBaseMs = opts.retryBaseMs ?? 100;
    this.bookmarkIdleMs = opts.bookmarkIdleMs ?? 2000;
    this.ringMaxAgeMs = opts.ringMaxAgeMs ?? 75_000;
    this.ringMinEvents = opts.ringMinEvents ?? 100;
    this.now = opts.now ?? Date.now;
  }

  /** Drop replay events past the freshness window (also run on every tick of the bookmark timer). */
  trimRing(): void {
    this.ring.dropOlderThan(this.now() - this.ringMaxAgeMs, this.ringMinEvents);
  }

  /**
   * The cached object at key, or undefined when the cache is not serving. Shared with every
   * list and watch it serves: read it, never modify it. May be older than storage; a caller
   * compares its resourceVersion with the stored one.
   */
  peek(key: string): StoredObject | undefined {
    return this.state === 'ready' ? this.objects.get(key) : undefined;
  }

  /** For tests and metrics: what the cache holds now. */
  stats(): { state: State; revision: number; windowStart: number; objects: number; events: number; eventBytes: number; watchers: number } {
    return {
      state: this.state,
      revision: this.revision,
      windowStart: this.ring.windowStart,
      objects: this.objects.size,
      events: this.ring.length,
      eventBytes: this.ring.byteSize,
      watchers: this.watchers.size,
    };
  }

  /** Start on first use; resolves once the first list and backend watch are up (or failed). */
  ensureStarted(): Promise<void> {
    if (!this.started) {
      this.state = 'starting';
      this.started = this.initialize();
      this.started.catch(() => undefined);
    }
    return this.started;
  }

  private async initialize(): Promise<void> {
    try {
      const backend = await this.relistAndWatch();
      this.loop = this.run(backend);
    } catch (err) {
      // The first request falls back to storage; the next one tries again.
      if (this.state !== 'stopped') {
        this.state = 'idle';
        this.started = undefined;
      }
      throw err;
    }
  }

  /**
   * Watch `prefix` (inside this resource) from `fromRevision`. Served from memory when the
   * cache is ready and the revision is inside the replay window; otherwise by storage.
   */
  async watch(prefix: string, fromRevision: number, opts: WatchOptions = {}): Promise<Watcher> {
    try {
      await this.ensureStarted();
    } catch {
      return this.storage.watch(prefix, fromRevision, opts);
    }
    if (this.state !== 'ready' || fromRevision < this.ring.windowStart) return this.storage.watch(prefix, fromRevision, opts);
    const w = new CacheWatcher({
      prefix,
      fromRevision,
      progressNotify: opts.progressNotify === true,
      maxQueue: this.maxWatcherQueue,
      maxQueueBytes: this.maxWatcherQueueBytes,
      onClose: (x) => this.watchers.delete(x),
    });
    // Replay and registration in one synchronous step: nothing can be dispatched in between.
    for (const ev of this.ring.after(fromRevision)) w.offer(ev);
    this.watchers.add(w);
    return w;
  }

  /**
   * The live objects under `prefix`, key-ordered, at the cache's revision — if the cache is
   * ready and at least at `minRevision`; undefined means "ask storage". Objects are shared:
   * callers must not mutate them.
   */
  async list(prefix: string, minRevision: number): Promise<ListResult | undefined> {
    try {
      await this.ensureStarted();
    } catch {
      return undefined;
    }
    if (this.state !== 'ready' || this.revision < minRevision) return undefined;
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    return { items: keys.map((k) => this.objects.get(k)!), revision: this.revision };
  }

  /** Stop the backend watch and end every cache watcher. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearInterval(this.bookmarkTimer);
    this.backend?.close();
    this.endWatchers();
    await this.loop?.catch(() => undefined);
  }

  /** List the resource at the latest revision, replace the cache, and watch from there. */
  private async relistAndWatch(): Promise<Watcher> {
    const items: StoredObject[] = [];
    const keys: string[] = [];
    let cont: string | undefined;
    let revision = 0;
    do {
      const page = await this.storage.list(this.resourcePrefix, { limit: 1000, ...(cont ? { continue: cont } : {}) });
      revision = page.revision;
      for (const obj of page.items) {
        // Kept for as long as they are current: in the compact form (compact.ts).
        compactForCache(obj);
        items.push(obj);
        keys.push(keyOf(this.resourcePrefix, obj));
      }
      cont = page.continue;
    } while (cont);
    const backend = await this.storage.watch(this.resourcePrefix, revision, { progressNotify: true });
    if (this.stopped()) {
      backend.close();
      throw new Error('cacher stopped');
    }
    this.objects.clear();
    items.forEach((obj, i) => this.objects.set(keys[i]!, obj));
    this.revision = revision;
    this.ring.reset(revision);
    this.backend = backend;
    this.state = 'ready';
    // Everything up to this.revision has been dispatched, so it is always a truthful bookmark.
    this.bookmarkTimer ??= setInterval(() => {
      if (this.state !== 'ready') return;
      this.trimRing();
      const now = Date.now();
      for (const w of this.watchers) w.idleBookmark(this.revision, this.bookmarkIdleMs, now);
    }, Math.max(50, this.bookmarkIdleMs / 2)).unref();
    return backend;
  }

  /** Apply backend events until stopped; re-watch after breaks, relist when history is gone. */
  private async run(first: Watcher): Promise<void> {
    let backend: Watcher | undefined = first;
    let pause = this.retryBaseMs;
    while (!this.stopped()) {
      try {
        if (!backend) {
          backend = this.state === 'resyncing' ? await this.relistAndWatch() : await this.storage.watch(this.resourcePrefix, this.revision, { progressNotify: true });
          this.backend = backend;
          this.state = 'ready';
          pause = this.retryBaseMs;
        }
        for await (const ev of backend) {
          this.apply(ev);
          pause = this.retryBaseMs;
        }
        backend = undefined; // ended without error (closed): re-watch unless stopping
      } catch (err) {
        backend = undefined;
        if (this.stopped()) break;
        if (isStorageError(err, 'Closed')) {
          await this.stop();
          break;
        }
        if (isStorageError(err, 'Expired')) {
          // History we have not seen is gone: the cache cannot continue gap-free. End every
          // watcher (clients re-watch from their own revision or re-list) and relist.
          this.logger?.warn('watch cache lost its place in history; relisting', { prefix: this.resourcePrefix, revision: this.revision });
          this.state = 'resyncing';
          this.endWatchers();
        } else {
          // A broken stream: resume from our revision, watchers just see a pause.
          this.logger?.warn('watch cache backend watch broke; resuming', { prefix: this.resourcePrefix, revision: this.revision, err: String(err) });
        }
        await new Promise((r) => setTimeout(r, pause).unref());
        pause = Math.min(pause * 2, 5000);
      }
    }
  }

  // A method, not a field test: the state changes across awaits, which TS narrowing ignores.
  private stopped(): boolean {
    return this.state === 'stopped';
  }

  private apply(ev: WatchEvent): void {
    if (ev.type === 'BOOKMARK') {
      if (ev.revision > this.revision) this.revision = ev.revision;
      for (const w of this.watchers) w.bookmark(ev);
      return;
    }
    if (ev.revision <= this.revision) return; // already applied (a re-watch never repeats, but be safe)
    // prevObject is the version the cache holds for this key: keep one copy, so every event in
    // the ring costs one object, not two. Compared by prevRevision when the backend gives it,
    // so a lazily decoded prevObject (SQLite) is never decoded at all.
    const held = ev.type === 'ADDED' ? undefined : this.objects.get(ev.key);
    if (ev.type !== 'ADDED' && 'prevObject' in ev) {
      const prevRV = ev.prevRevision !== undefined ? String(ev.prevRevision) : ev.prevObject?.metadata?.resourceVersion;
      if (held && held.metadata?.resourceVersion === prevRV) ev.prevObject = held;
      else if (ev.prevObject) compactForCache(ev.prevObject);
    }
    // Kept in the map and the ring: in the compact form (compact.ts). A written object shares
    // most of itself with the version held (copy-on-write patches, admission's reuse).
    compactForCache(ev.object, held);
    if (ev.type === 'DELETED') this.objects.delete(ev.key);
    else this.objects.set(ev.key, ev.object);
    this.ring.push(ev, this.now());
    this.revision = ev.revision;
    for (const w of this.watchers) w.offer(ev);
  }

  private endWatchers(): void {
    for (const w of [...this.watchers]) w.end();
    this.watchers.clear();
  }
}

/** Storage key of a listed object (lists carry no keys): rebuilt from the key layout. */
function keyOf(resourcePrefix: string, obj: StoredObject): string {
  const meta = obj.metadata ?? {};
  const annotations = (meta.annotations ?? {}) as Record<string, string>;
  const cluster = annotations['kcp.io/cluster'] ?? '';
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? `${meta.namespace}/` : '';
  return `${resourcePrefix}${cluster}/${ns}${String(meta.name ?? '')}`;
}
