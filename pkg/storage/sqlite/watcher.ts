// One running watch. It first replays history (fromRevision, head] page by page as the
// consumer pulls, while live changes after head queue up behind it; every change is
// delivered once, in revision order, because live changes all have revision > head and
// delivery skips anything at or below the last delivered revision.
import { decodeObject, LazyPrevEvent, withRevision } from '../object-codec.ts';
import { StorageError } from '../errors.ts';
import type { StoredObject, WatchEvent } from '../interface.ts';
import { bookmarkEvent, PullWatcher } from '../pull-watcher.ts';
import { recentEncodings } from '../recent-encodings.ts';

/** A committed change as the backend saw it, before it becomes a WatchEvent. */
export interface Change {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  revision: number;
  value: string;
  prevRevision: number;
  prevValue?: string | undefined;
  /**
   * The object `value` encodes, with this revision, when the write had it at hand (creates and
   * updates): each watcher's event is a copy of its top level and metadata instead of a
   * JSON.parse of `value` (a whole decode per write and watcher, ~3 % of a status write's CPU).
   * Deeper values are shared, as they are with the writer's answer: readers never modify them.
   * Absent for history read back from the database, which is decoded as before.
   */
  object?: StoredObject | undefined;
}

/** Reads committed changes with revision in (from, to] under the watch's prefix, oldest first. */
export type HistoryReader = (from: number, to: number, limit: number) => Change[];

export interface WatcherOptions {
  prefix: string;
  fromRevision: number;
  /** Revision committed when the watcher was registered: history covers up to it. */
  headRevision: number;
  readHistory: HistoryReader;
  historyPageSize: number;
  /** Live changes allowed to wait for the consumer before the watch is ended as too slow. */
  maxQueued: number;
  progressNotify: boolean;
  now: () => number;
  onClose: (w: SqliteWatcher) => void;
  /** Passed to recentEncodings.remember (SqliteTuning.verifyWrittenObjects). */
  verifyEncodings?: boolean;
}

type Queued = Change | { type: 'BOOKMARK'; revision: number };

export class SqliteWatcher extends PullWatcher {
  readonly prefix: string;
  readonly progressNotify: boolean;
  readonly #opts: WatcherOptions;
  #cursor: number;
  #catchingUp: boolean;
  #history: Change[] = [];
  #live: Queued[] = [];
  #lastDelivered: number;
  #lastActivity: number;

  constructor(opts: WatcherOptions) {
    super();
    this.#opts = opts;
    this.prefix = opts.prefix;
    this.progressNotify = opts.progressNotify;
    this.#cursor = opts.fromRevision;
    this.#lastDelivered = opts.fromRevision;
    this.#catchingUp = opts.fromRevision < opts.headRevision;
    this.#lastActivity = opts.now();
  }

  /** A live change committed after registration. Never blocks: overflow ends the watch. */
  push(change: Change): void {
    if (this.ended) return;
    if (this.#live.length >= this.#opts.maxQueued) {
      this.#live = [];
      this.#history = [];
      this.#catchingUp = false;
      this.fail(
        new StorageError('Expired', this.prefix, `watch of ${this.prefix} ended: consumer too slow (${this.#opts.maxQueued} events queued)`),
      );
      return;
    }
    this.#live.push(change);
    this.wakeUp();
  }

  /** Offer a progress bookmark at the backend's current revision if this watch has been idle. */
  offerBookmark(revision: number, idleMs: number): void {
    if (!this.progressNotify || this.ended) return;
    if (this.#catchingUp || this.#history.length > 0 || this.#live.length > 0) return;
    if (this.#opts.now() - this.#lastActivity < idleMs) return;
    this.#lastActivity = this.#opts.now();
    this.#live.push({ type: 'BOOKMARK', revision });
    this.wakeUp();
  }

  protected dropQueued(): void {
    this.#live = [];
    this.#history = [];
  }

  protected unregister(): void {
    this.#opts.onClose(this);
  }

  protected take(): WatchEvent | undefined {
    for (;;) {
      const change = this.#history.shift() ?? this.#nextFromHistory() ?? this.#live.shift();
      if (!change) return undefined;
      if (change.type === 'BOOKMARK') {
        this.#lastActivity = this.#opts.now();
        return bookmarkEvent(Math.max(change.revision, this.#lastDelivered));
      }
      if (change.revision <= this.#lastDelivered) continue; // already replayed from history
      this.#lastDelivered = change.revision;
      this.#lastActivity = this.#opts.now();
      return toEvent(change, this.#opts.verifyEncodings === true);
    }
  }

  /** Pull the next page of history while catching up; a failure (compaction, close) ends the watch. */
  #nextFromHistory(): Change | undefined {
    if (!this.#catchingUp || this.failure) return undefined;
    try {
      const page = this.#opts.readHistory(this.#cursor, this.#opts.headRevision, this.#opts.historyPageSize);
      const last = page[page.length - 1];
      if (!last || page.length < this.#opts.historyPageSize) this.#catchingUp = false;
      if (last) this.#cursor = last.revision;
      this.#history = page;
      return this.#history.shift();
    } catch (err) {
      // Live changes queued behind the failed replay would leave a gap: drop them.
      this.#catchingUp = false;
      this.#live = [];
      this.#history = [];
      this.fail(err instanceof StorageError ? err : new StorageError('Unavailable', this.prefix, String(err), { cause: err }));
      return undefined;
    }
  }
}

function toEvent(change: Change, verifyEncodings: boolean): WatchEvent {
  let object: StoredObject;
  if (change.object) {
    object = withRevision(change.object, change.revision);
    // Its watch line can then be the stored bytes with the revision spliced in.
    recentEncodings.remember(object, change.value, verifyEncodings);
  } else {
    object = decodeObject(change.value, change.revision);
  }
  const size = change.value.length + (change.prevValue?.length ?? 0);
  if (change.type !== 'ADDED' && change.prevValue !== undefined) {
    return new LazyPrevEvent(change.type, change.key, object, change.revision, size, change.prevValue, change.prevRevision);
  }
  return { type: change.type, key: change.key, object, revision: change.revision, size };
}
