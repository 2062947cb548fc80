// Package storage is kplane's persistence seam: one interface with Kubernetes/etcd
// semantics and two real implementations (SQLite, the embedded default, and etcd).
// It knows nothing about HTTP; the API server maps StorageError codes to statuses.

/** A stored object as JSON. metadata.resourceVersion is set by the backend on read. */
export type StoredObject = Record<string, unknown> & {
  metadata?: Record<string, unknown>;
};

export interface Preconditions {
  /** Fail with Conflict unless the current object has exactly this resourceVersion. */
  resourceVersion?: string;
  /** Fail with Conflict unless the current object has exactly this uid. */
  uid?: string;
}

export interface ListOptions {
  /** Maximum number of items in this page; 0 or undefined means no limit. */
  limit?: number;
  /** Opaque token from a previous page; the list continues at the same revision. */
  continue?: string;
  /**
   * Read at exactly this revision (must still be in history, else Expired).
   * Undefined means "the latest revision".
   */
  revision?: number;
}

export interface ListResult {
  items: StoredObject[];
  /** The snapshot revision every item was read at. */
  revision: number;
  /** Set when more items remain; pass back as ListOptions.continue. */
  continue?: string;
  remainingItemCount?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent {
  type: WatchEventType;
  /** Storage key of the object (empty for BOOKMARK). */
  key: string;
  /** The object after the change; for DELETED, the last state with the deletion revision as RV. */
  object: StoredObject;
  /**
   * The object before the change (MODIFIED, DELETED). Backends may decode it on first read
   * (object-codec.ts LazyPrevEvent): a watch cache that holds that version already never pays
   * for it. Assignable.
   */
  prevObject?: StoredObject;
  /** The revision of prevObject, when known without decoding it. */
  prevRevision?: number;
  /** Revision of this change (for BOOKMARK: the revision everything up to is delivered). */
  revision: number;
  /**
   * Encoded bytes of object and prevObject, when the backend knows them: lets a watch cache
   * bound its memory in bytes, not only in events.
   */
  size?: number;
}

export interface WatchOptions {
  /** Emit BOOKMARK events carrying the current revision when idle (etcd progress notify). */
  progressNotify?: boolean;
}

/**
 * A running watch. Events are delivered in revision order, no gaps, no duplicates.
 * A watch that cannot continue (compacted history, closed backend) ends with `error`.
 */
export interface Watcher extends AsyncIterable<WatchEvent> {
  /** Stop the watch; pending iteration ends. Idempotent. */
  close(): void;
}

/**
 * Called with the current object (or undefined if absent when allowCreate) and returns the
 * desired object, or null to signal "no change" (the write is skipped, revision unchanged).
 * May throw to abort; it can be called several times on conflicts.
 */
export type UpdateFunc = (current: StoredObject) => StoredObject | null | Promise<StoredObject | null>;

export interface Storage {
  /** Backend name for logs and metrics, e.g. "sqlite" or "etcd". */
  readonly name: string;

  /**
   * Create the key; fails with KeyExists if present. Returns the stored object with its
   * resourceVersion. A backend may keep `obj` and share its values with watchers and with what
   * it returns (SQLite does): the caller must not modify it, nor anything inside it, afterwards.
   * The same holds for the object a guaranteedUpdate's tryUpdate returns.
   */
  create(key: string, obj: StoredObject): Promise<StoredObject>;

  /** Read the key at the latest revision; fails with KeyNotFound. */
  get(key: string): Promise<StoredObject>;

  /**
   * The watch cache's copy of key, when this storage keeps one (the API server's
   * CachingStorage; the backends do not): possibly older than storage, shared (never modify
   * it), undefined when not cached. For checks that may trust a positive answer a moment old
   * and ask get() on a miss, as kube's admission plugins ask their informers first.
   */
  peek?(key: string): StoredObject | undefined;

  /** List every key under prefix (which must end with '/') as one consistent snapshot. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;

  /**
   * Compare-and-swap update. Fails with KeyNotFound if absent, Conflict if preconditions fail.
   * If obj is deep-equal to what is stored, nothing is written and the stored object is returned.
   */
  update(key: string, obj: StoredObject, preconditions?: Preconditions): Promise<StoredObject>;

  /**
   * Read-modify-write with retry on concurrent modification (kube's GuaranteedUpdate).
   * Preconditions are checked against each freshly read object.
   *
   * `cachedExisting` (kube's cachedExistingObject) is a recent copy of the object, e.g. the
   * watch cache's: when its resourceVersion is still the stored one, tryUpdate gets it instead
   * of a fresh decode (or, on etcd, a read). tryUpdate must then not modify what it is given —
   * the copy is shared — and neither may the caller modify what is returned (when nothing
   * changed, that is the copy itself). The copy must be one this backend handed out (a
   * watch event's or a read's object), never one built from a request: its resourceVersion is
   * taken as a revision the key really had (SQLite judges a no-op's copy current from its last
   * writes on that basis).
   */
  guaranteedUpdate(key: string, tryUpdate: UpdateFunc, preconditions?: Preconditions, cachedExisting?: StoredObject): Promise<StoredObject>;

  /** Delete with preconditions; returns the last state. Fails with KeyNotFound / Conflict. */
  delete(key: string, preconditions?: Preconditions): Promise<StoredObject>;

  /**
   * Watch every change under prefix (a key or a prefix ending in '/') with revision > fromRevision.
   * fromRevision older than the retained history fails with Expired.
   */
  watch(prefix: string, fromRevision: number, opts?: WatchOptions): Promise<Watcher>;

  /** The latest revision committed. */
  currentRevision(): Promise<number>;

  /** The oldest revision still watchable / listable (everything before is compacted). */
  compactedRevision(): Promise<number>;

  /** Drop history up to and including revision (latest values of live keys are kept). */
  compact(revision: number): Promise<void>;

  /** Flush and release resources; later calls fail with Closed. */
  close(): Promise<void>;
}
