// The three work-queue contracts, as client-go's util/workqueue Interface, DelayingInterface
// and RateLimitingInterface. Keys are compared with SameValueZero (Map/Set semantics), so use
// strings or other primitives — two equal-looking objects are two different keys.

/** What get() resolves to: a key to process, or shutdown=true when the queue is closed and empty. */
export type GetResult<K> = { key: K; shutdown: false } | { key: undefined; shutdown: true };

export interface WorkQueue<K> {
  /** Marks key as needing processing. No-op if it is already waiting or the queue is shutting down. */
  add(key: K): void;
  /**
   * Optional: marks key as needing processing ahead of every add()ed key (Queue implements it;
   * a DelayingQueue with readyFirst uses it for keys whose delay has passed).
   */
  addFirst?(key: K): void;
  /** Number of keys waiting (not counting keys being processed). */
  len(): number;
  /**
   * Takes the next key, waiting until one is available. The caller owns the key until it calls
   * done(key); meanwhile the key is handed to nobody else even if it is added again.
   * Resolves { shutdown: true } once the queue is shut down and nothing is left waiting.
   */
  get(): Promise<GetResult<K>>;
  /** Ends processing of key; if it was added again meanwhile, it goes back in the queue. */
  done(key: K): void;
  /** Refuses new adds and releases waiting getters once the queue is empty. */
  shutDown(): void;
  /** Like shutDown, then resolves once every key handed out by get() is done. */
  shutDownWithDrain(): Promise<void>;
  shuttingDown(): boolean;
}

export interface DelayingWorkQueue<K> extends WorkQueue<K> {
  /**
   * Adds key after ms milliseconds. ms ≤ 0 adds at once. If key is already waiting for a delay,
   * the earlier of the two ready times wins (a later addAfter never postpones it).
   */
  addAfter(key: K, ms: number): void;
}

export interface RateLimitingWorkQueue<K> extends DelayingWorkQueue<K> {
  /** Adds key once the rate limiter says it may be retried (addAfter(key, limiter.when(key))). */
  addRateLimited(key: K): void;
  /** Clears the limiter's memory of key's failures; call on success. Does not remove it from the queue. */
  forget(key: K): void;
  /** How many times key has been requeued through the limiter since the last forget. */
  numRequeues(key: K): number;
}
