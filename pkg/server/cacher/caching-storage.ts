// CachingStorage: a storage.Storage that serves watches through one ResourceCacher per
// resource (created on first use) and adds listCached() for "any"/"not older than" lists.
// Every other call goes straight to the backend. It sits under the Registry, above the
// instrumented backend, so backend-watch metrics count one watch per cached resource.
import type { ListOptions, ListResult, Preconditions, Storage, StoredObject, UpdateFunc, WatchOptions, Watcher } from '../../storage/interface.ts';
import { ResourceCacher, type ResourceCacherOptions } from './resource-cacher.ts';

/** The slice a caller needs to ask for a cached list (ResourceStore probes for it). */
export interface CachedLister {
  /** Items under prefix at a revision >= minRevision from memory, or undefined (ask storage). */
  listCached(prefix: string, minRevision: number): Promise<ListResult | undefined>;
}

export function isCachedLister(s: unknown): s is CachedLister {
  return typeof (s as Partial<CachedLister> | undefined)?.listCached === 'function';
}

/** `/registry/<group>/<resource>/` of a key or prefix, or undefined when it is not one. */
export function resourcePrefixOf(prefix: string): string | undefined {
  const m = /^(\/registry\/[^/]+\/[^/]+\/)/.exec(prefix);
  return m?.[1];
}

export interface CachingStorageOptions extends ResourceCacherOptions {
  /**
   * Check after every guaranteedUpdate that the cached copy handed to it as a first guess is
   * unchanged, and fail the update if it is not (tests: the copy is shared with every list and
   * watch, so an update function that modifies its input would corrupt what others are served).
   */
  verifySharedObjects?: boolean;
}

export class CachingStorage implements Storage, CachedLister {
  readonly name: string;
  readonly inner: Storage;
  private readonly opts: ResourceCacherOptions;
  private readonly verifyShared: boolean;
  private readonly cachers = new Map<string, ResourceCacher>();
  private closed = false;

  constructor(inner: Storage, opts: CachingStorageOptions = {}) {
    this.inner = inner;
    this.name = inner.name;
    const { verifySharedObjects, ...cacherOpts } = opts;
    this.opts = cacherOpts;
    this.verifyShared = verifySharedObjects === true;
  }

  /** The cacher of a resource prefix (tests and metrics). */
  cacher(resourcePrefix: string): ResourceCacher | undefined {
    return this.cachers.get(resourcePrefix);
  }

  private cacherFor(prefix: string): ResourceCacher | undefined {
    const rp = resourcePrefixOf(prefix);
    if (rp === undefined || this.closed) return undefined;
    let c = this.cachers.get(rp);
    if (!c) {
      c = new ResourceCacher(this.inner, rp, this.opts);
      this.cachers.set(rp, c);
    }
    return c;
  }

  watch(prefix: string, fromRevision: number, opts?: WatchOptions): Promise<Watcher> {
    const c = this.cacherFor(prefix);
    return c ? c.watch(prefix, fromRevision, opts) : this.inner.watch(prefix, fromRevision, opts);
  }

  async listCached(prefix: string, minRevision: number): Promise<ListResult | undefined> {
    return this.cacherFor(prefix)?.list(prefix, minRevision);
  }

  create(key: string, obj: StoredObject): Promise<StoredObject> {
    return this.inner.create(key, obj);
  }
  get(key: string): Promise<StoredObject> {
    return this.inner.get(key);
  }
  /** Starts the resource's cache on first use; until it is ready, nothing is cached. */
  peek(key: string): StoredObject | undefined {
    const c = this.cacherFor(key);
    if (!c) return undefined;
    // A failed start is retried by the next use; the caller asks storage meanwhile.
    c.ensureStarted().catch(() => undefined);
    return c.peek(key);
  }
  list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    return this.inner.list(prefix, opts);
  }
  update(key: string, obj: StoredObject, preconditions?: Preconditions): Promise<StoredObject> {
    return this.inner.update(key, obj, preconditions);
  }
  /** The watch cache's copy of the object is the backend's first guess (kube's cachedExistingObject). */
  guaranteedUpdate(key: string, tryUpdate: UpdateFunc, preconditions?: Preconditions, cachedExisting?: StoredObject): Promise<StoredObject> {
    const guess = cachedExisting ?? (this.closed ? undefined : this.cachers.get(resourcePrefixOf(key) ?? '')?.peek(key));
    if (!guess || !this.verifyShared) return this.inner.guaranteedUpdate(key, tryUpdate, preconditions, guess);
    return this.verifiedUpdate(key, tryUpdate, preconditions, guess);
  }

  private async verifiedUpdate(key: string, tryUpdate: UpdateFunc, preconditions: Preconditions | undefined, guess: StoredObject): Promise<StoredObject> {
    const before = JSON.stringify(guess);
    const result = await this.inner.guaranteedUpdate(key, tryUpdate, preconditions, guess);
    if (JSON.stringify(guess) !== before) throw new Error(`an update of ${key} modified the watch cache's shared copy of the object`);
    // A no-op hands back the shared copy itself, and a write the object its update function made
    // (storage's withRevision), which may share parts with that copy: frozen here, a caller
    // modifying either fails loudly.
    return deepFreeze(structuredClone(result));
  }
  delete(key: string, preconditions?: Preconditions): Promise<StoredObject> {
    return this.inner.delete(key, preconditions);
  }
  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }
  compactedRevision(): Promise<number> {
    return this.inner.compactedRevision();
  }
  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }

  /** Stop the cachers (their watchers end), then close the backend. */
  async close(): Promise<void> {
    await this.stopCachers();
    await this.inner.close();
  }

  /** Stop the cachers only (the backend is closed by its owner). */
  async stopCachers(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.cachers.values()].map((c) => c.stop()));
  }
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}
