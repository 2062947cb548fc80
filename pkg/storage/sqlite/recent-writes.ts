// Which keys were written lately, and at which revision: enough to tell, without reading the
// database, whether a copy of an object at revision R is still the key's newest, as long as R
// is recent.
//
// guaranteedUpdate takes the watch cache's copy as its first guess. When the update function
// finds nothing to change (a syncer's heartbeat within the same second), the answer is that
// copy only if it is current, which used to cost a read of the `current` table per request
// (~4 % of the API server's thread under the heartbeat benchmark). The watch cache lags the
// database by moments, so its copies are nearly always younger than the last `capacity` writes.

/**
 * The last `capacity` committed writes (key and revision, in revision order) and, for each key
 * among them, its newest revision. Every write with a revision above `floor` is held: `floor`
 * is the revision of the newest write dropped, or the database's revision when it was opened.
 */
export class RecentWrites {
  readonly #capacity: number;
  readonly #keys: Array<string | undefined>;
  readonly #revisions: Float64Array;
  /** The slot the next write goes to; the oldest write's slot once the ring is full. */
  #next = 0;
  #size = 0;
  #floor: number;
  readonly #newest = new Map<string, number>();

  constructor(openedAt: number, capacity = 4096) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
    this.#keys = new Array<string | undefined>(capacity);
    this.#revisions = new Float64Array(capacity);
    this.#floor = openedAt;
  }

  /** A committed write (create, update or delete) of key at revision; revisions only grow. */
  record(key: string, revision: number): void {
    if (this.#size === this.#capacity) {
      const oldKey = this.#keys[this.#next]!;
      const oldRevision = this.#revisions[this.#next]!;
      if (this.#newest.get(oldKey) === oldRevision) this.#newest.delete(oldKey);
      this.#floor = oldRevision;
    } else {
      this.#size++;
    }
    this.#keys[this.#next] = key;
    this.#revisions[this.#next] = revision;
    this.#next = (this.#next + 1) % this.#capacity;
    this.#newest.set(key, revision);
  }

  /**
   * Whether revision is still key's newest, for a revision the key really had (a copy the
   * backend handed out); undefined when that is older than what is held (ask the database).
   * A key not written since `floor` has had no write after a revision at or above it.
   */
  isNewest(key: string, revision: number): boolean | undefined {
    // Not a revision this backend handed out (NaN from a missing resourceVersion): ask.
    if (!Number.isSafeInteger(revision) || revision < this.#floor) return undefined;
    const newest = this.#newest.get(key);
    return newest === undefined || newest === revision;
  }

  /** The held writes' count and floor (tests). */
  get stats(): { size: number; floor: number; keys: number } {
    return { size: this.#size, floor: this.#floor, keys: this.#newest.size };
  }
}
