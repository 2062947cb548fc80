// The SQLite backend of storage.Storage. One process owns the database file; every
// statement runs synchronously on one connection, so a read is always a consistent
// snapshot of the last commit, and writes go through the group committer (one writer).
// With the fsync off the event loop (group-commit.ts), a commit is visible to this
// connection before it is durable: reads that may include such a commit wait for the sync
// before they answer, and watchers only ever see durable revisions (#durableRevision).
import { isDeepStrictEqual } from 'node:util';
import type { DatabaseSync } from 'node:sqlite';
import { StorageError } from '../errors.ts';
import type { ListOptions, ListResult, Preconditions, Storage, StoredObject, UpdateFunc, WatchOptions, Watcher } from '../interface.ts';
import { prefixEnd } from '../keys.ts';
import { decodeContinue, encodeContinue } from '../continue-token.ts';
import { decodeObject, encodeObject, sameStoredContent, storedUid, withRevision } from '../object-codec.ts';
import { meetsPreconditions } from '../preconditions.ts';
import { recentEncodings } from '../recent-encodings.ts';
import { GroupCommitter, type SyncFunc } from './group-commit.ts';
import { RecentWrites } from './recent-writes.ts';
import type { CountRow, CurrentRow, HistoryRow, ListRow, Statements } from './statements.ts';
import { WatchHub } from './watch-hub.ts';
import { SqliteWatcher, type Change } from './watcher.ts';

export interface SqliteTuning {
  /** Most writes committed in one transaction. Defaults to 256. */
  maxBatch: number;
  /** Idle time after which a progressNotify watcher gets a BOOKMARK. Defaults to 2000 ms. */
  bookmarkIntervalMs: number;
  /** Live events a watcher may have queued before it is ended as too slow. Defaults to 10000. */
  maxWatcherQueue: number;
  /** Rows read per history page while a watcher catches up. Defaults to 500. */
  historyPageSize: number;
  /** Revisions examined per compaction transaction (keeps each pause short). Defaults to 2000. */
  compactionChunk: number;
  /** guaranteedUpdate attempts before giving up with Conflict. Defaults to 64. */
  maxUpdateAttempts: number;
  /** Last writes remembered to judge cached copies without a read (recent-writes.ts). Defaults to 4096. */
  recentWrites: number;
  now: () => number;
  /**
   * Test hook (KPLANE_TEST_VERIFY_SHARED, set by `npm test`): every write whose object goes to
   * watchers as it is (Change.object) first checks that it is deeply equal to a decode of the
   * bytes stored, and fails the write if not, so every write the suites make checks it.
   */
  verifyWrittenObjects?: boolean;
}

/** The WAL's own fsync, run by the group committer after each COMMIT; close releases its descriptor. */
export interface WalSync {
  sync: SyncFunc;
  close(): void;
}

/** See SqliteTuning.verifyWrittenObjects: `obj` must be what a decode of `json` gives. */
function assertEncodes(key: string, obj: StoredObject, json: string): void {
  const decoded = decodeObject(json, 0);
  const written = withRevision(obj, 0);
  if (isDeepStrictEqual(written, decoded)) return;
  throw new Error(`the object written to ${key} differs from a decode of its stored bytes at ${firstDifference(written, decoded, '')}: watchers would see another object than readers`);
}

/** The path of the first place where a and b differ (an own key holding undefined included). */
function firstDifference(a: unknown, b: unknown, path: string): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path || '(root)';
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const av = (a as Record<string, unknown>)[k];
    const bv = (b as Record<string, unknown>)[k];
    if (!Object.hasOwn(a, k) || !Object.hasOwn(b, k) || !isDeepStrictEqual(av, bv)) return Object.hasOwn(a, k) && Object.hasOwn(b, k) ? firstDifference(av, bv, `${path}.${k}`) : `${path}.${k}`;
  }
  return path || '(root)';
}

/** Thrown inside a batch when guaranteedUpdate's read went stale; never escapes the backend. */
class StaleRead extends Error {}

const COMPACT_KEY = 'compact_rev';

export class SqliteStorage implements Storage {
  readonly name = 'sqlite';
  readonly #db: DatabaseSync;
  readonly #stmts: Statements;
  readonly #tuning: SqliteTuning;
  readonly #committer: GroupCommitter;
  readonly #hub = new WatchHub();
  readonly #bookmarkTimer: NodeJS.Timeout;
  /** Last committed revision (visible to this connection's reads). */
  #revision: number;
  /** Last revision known to be on disk: what watchers, bookmarks and currentRevision see. */
  #durableRevision: number;
  /** Revision inside the open batch; becomes #revision on commit. */
  #txRevision = 0;
  #txChanges: Change[] = [];
  #compacted: number;
  #compacting: Promise<void> = Promise.resolve();
  #closing: Promise<void> | undefined;
  readonly #wal: WalSync | undefined;
  /** The last writes' keys and revisions: whether a cached copy is current, without a read. */
  readonly #recent: RecentWrites;

  /** `wal`: make commits durable off the event loop (see group-commit.ts); without it COMMIT fsyncs. */
  constructor(db: DatabaseSync, stmts: Statements, tuning: SqliteTuning, wal?: WalSync) {
    this.#wal = wal;
    this.#db = db;
    this.#stmts = stmts;
    this.#tuning = tuning;
    this.#revision = Math.max(count(stmts.sequence.get()), count(stmts.maxId.get()));
    this.#durableRevision = this.#revision;
    this.#recent = new RecentWrites(this.#revision, tuning.recentWrites);
    this.#compacted = count(stmts.getMeta.get(COMPACT_KEY));
    this.#committer = new GroupCommitter(
      db,
      {
        begin: () => {
          this.#txRevision = this.#revision;
          this.#txChanges = [];
        },
        committed: () => {
          const revision = (this.#revision = this.#txRevision);
          const changes = this.#txChanges;
          this.#txChanges = [];
          for (const change of changes) this.#recent.record(change.key, change.revision);
          return () => {
            this.#durableRevision = Math.max(this.#durableRevision, revision);
            for (const change of changes) this.#hub.dispatch(change);
          };
        },
        aborted: () => {
          this.#txChanges = [];
        },
        mark: () => this.#txChanges.length,
        // A write that failed after #append (an I/O error in the statement after the insert)
        // must leave no change for watchers and no gap in the revisions: its row is gone.
        rolledBack: (mark) => {
          const first = this.#txChanges[mark];
          if (first === undefined) return;
          this.#txRevision = first.revision - 1;
          this.#txChanges.length = mark;
        },
      },
      tuning.maxBatch,
      wal?.sync,
    );
    const tick = Math.max(10, Math.floor(tuning.bookmarkIntervalMs / 4));
    this.#bookmarkTimer = setInterval(() => this.#hub.offerBookmarks(this.#durableRevision, tuning.bookmarkIntervalMs), tick);
    this.#bookmarkTimer.unref();
  }

  /** Writes and transactions so far, for benchmarks and metrics. */
  get commitStats(): { batches: number; writes: number; syncs: number } {
    return { ...this.#committer.stats };
  }

  async create(key: string, obj: StoredObject): Promise<StoredObject> {
    this.#checkOpen(key);
    const json = encodeObject(key, obj);
    return this.#write(key, () => {
      if (this.#stmts.getCurrent.get(key)) throw new StorageError('KeyExists', key);
      const rev = this.#append(key, 1, 0, undefined, json, { type: 'ADDED', prevRevision: 0, object: obj });
      this.#stmts.upsertCurrent.run(key, rev);
      // The object just encoded, not a decode of it (withRevision), as guaranteedUpdate answers.
      return this.#handOut(withRevision(obj, rev), json);
    });
  }

  async get(key: string): Promise<StoredObject> {
    this.#checkOpen(key);
    const cur = this.#current(key);
    await this.#readBarrier();
    if (!cur) throw new StorageError('KeyNotFound', key);
    return decodeObject(cur.value, cur.id);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.#checkOpen(prefix);
    const token = opts.continue ? decodeContinue(prefix, opts.continue) : undefined;
    const revision = token?.revision ?? opts.revision ?? this.#revision;
    if (revision < this.#compacted) {
      throw new StorageError('Expired', prefix, `revision ${revision} is compacted (oldest is ${this.#compacted})`);
    }
    if (revision > this.#revision) {
      throw new StorageError('Unavailable', prefix, `revision ${revision} is newer than the latest ${this.#revision}`);
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    const latest = revision === this.#revision;
    const s = this.#stmts;
    const params = { lo: token?.lastKey ?? prefix, hi: prefixEnd(prefix), limit: limit > 0 ? limit + 1 : -1 };
    const first = token === undefined;
    const rows = (
      latest
        ? (first ? s.listLatestFirst : s.listLatestAfter).all(params)
        : (first ? s.listAtFirst : s.listAtAfter).all({ ...params, rev: revision })
    ) as unknown as ListRow[];

    const more = limit > 0 && rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const result: ListResult = { items: page.map((r) => decodeObject(r.value, r.id)), revision };
    const lastKey = page[page.length - 1]?.name;
    if (more && lastKey !== undefined) {
      result.continue = encodeContinue({ revision, lastKey });
      const countParams = { lo: lastKey, hi: params.hi };
      const remaining = latest
        ? s.countLatestAfter.get(countParams)
        : s.countAtAfter.get({ ...countParams, rev: revision });
      result.remainingItemCount = count(remaining);
    }
    await this.#readBarrier();
    return result;
  }

  async update(key: string, obj: StoredObject, preconditions?: Preconditions): Promise<StoredObject> {
    this.#checkOpen(key);
    const json = encodeObject(key, obj);
    return this.#write(key, () => this.#applyUpdate(key, json, preconditions, undefined));
  }

  async guaranteedUpdate(key: string, tryUpdate: UpdateFunc, preconditions?: Preconditions, cachedExisting?: StoredObject): Promise<StoredObject> {
    for (let attempt = 0; attempt < this.#tuning.maxUpdateAttempts; attempt++) {
      this.#checkOpen(key);
      // First attempt: the caller's cached copy, which spares reading and decoding the stored
      // value (most of a small update's storage cost). The write's revision check inside the
      // batch (#applyUpdate) is what verifies it; a stale guess costs one more attempt, which
      // reads. A precondition the copy misses is decided on the stored object.
      const guessed = attempt === 0 && cachedExisting !== undefined && meetsPreconditions(cachedExisting, preconditions);
      let live: StoredObject;
      let readRevision: number;
      if (guessed) {
        live = cachedExisting;
        readRevision = Number(cachedExisting.metadata?.resourceVersion);
      } else {
        const cur = this.#current(key);
        if (!cur) {
          await this.#readBarrier();
          throw new StorageError('KeyNotFound', key);
        }
        try {
          checkPreconditions(key, cur, preconditions);
        } catch (err) {
          await this.#readBarrier();
          throw err;
        }
        live = decodeObject(cur.value, cur.id);
        readRevision = cur.id;
      }
      const desired = await tryUpdate(live);
      if (desired === null) {
        // "No change" judged on a stale copy proves nothing: judge the stored object.
        if (guessed && !this.#isNewest(key, readRevision)) continue;
        // Read from the connection, which may see a commit not yet on disk: answer once it is
        // (the cached copy came from watchers, which only ever see durable revisions).
        if (!guessed) await this.#readBarrier();
        // The object as read, the cached copy itself when that was current (callers do not
        // modify what they get back; a copy here was 7 % of a no-op heartbeat's CPU).
        return live;
      }
      this.#checkOpen(key);
      const json = encodeObject(key, desired);
      try {
        // As kube's GuaranteedUpdate: the update function already judged the change, so only
        // identical bytes are a no-op (parsing both encodings again cost a status PATCH ~2 %).
        return await this.#write(key, () => this.#applyUpdate(key, json, preconditions, readRevision, true, desired));
      } catch (err) {
        if (!(err instanceof StaleRead)) throw err;
      }
    }
    throw new StorageError('Conflict', key, `guaranteedUpdate of ${key} gave up after ${this.#tuning.maxUpdateAttempts} attempts`);
  }

  async delete(key: string, preconditions?: Preconditions): Promise<StoredObject> {
    this.#checkOpen(key);
    return this.#write(key, () => {
      const cur = this.#current(key);
      if (!cur) throw new StorageError('KeyNotFound', key);
      checkPreconditions(key, cur, preconditions);
      // The tombstone keeps the last state, so a DELETED event can be replayed from history.
      const rev = this.#append(key, 0, 1, cur, cur.value, { type: 'DELETED', prevRevision: cur.id, prevValue: cur.value });
      this.#stmts.deleteCurrent.run(key);
      return decodeObject(cur.value, rev);
    });
  }

  async watch(prefix: string, fromRevision: number, opts: WatchOptions = {}): Promise<Watcher> {
    this.#checkOpen(prefix);
    if (fromRevision < this.#compacted) {
      throw new StorageError('Expired', prefix, `revision ${fromRevision} is compacted (oldest is ${this.#compacted})`);
    }
    const watcher = new SqliteWatcher({
      prefix,
      fromRevision,
      // History up to the durable head; later commits reach the watcher when they are synced.
      headRevision: this.#durableRevision,
      readHistory: (from, to, limit) => this.#readHistory(prefix, from, to, limit),
      historyPageSize: this.#tuning.historyPageSize,
      maxQueued: this.#tuning.maxWatcherQueue,
      progressNotify: opts.progressNotify === true,
      now: this.#tuning.now,
      onClose: (w) => this.#hub.remove(w),
      verifyEncodings: this.#tuning.verifyWrittenObjects === true,
    });
    // Registered in the same synchronous turn that fixed headRevision: nothing can commit
    // in between, so history (.., head] and live (head, ..) meet without a gap.
    this.#hub.add(watcher);
    return watcher;
  }

  async currentRevision(): Promise<number> {
    this.#checkOpen('');
    return this.#durableRevision;
  }

  async compactedRevision(): Promise<number> {
    this.#checkOpen('');
    return this.#compacted;
  }

  compact(revision: number): Promise<void> {
    this.#checkOpen('');
    // One compaction at a time; each starts from the state the previous one left.
    const run = this.#compacting.then(() => this.#compact(revision));
    this.#compacting = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#committer.drain();
      await this.#compacting;
      clearInterval(this.#bookmarkTimer);
      this.#hub.failAll(new StorageError('Closed', '', 'storage closed'));
      this.#db.close();
      this.#wal?.close();
    })();
    return this.#closing;
  }

  async #compact(revision: number): Promise<void> {
    const target = Math.min(revision, this.#revision);
    if (this.#closing || target <= this.#compacted) return;
    // Publish the mark first: from here on nobody reads below it, so deleting rows
    // underneath in many small transactions can never be observed half done.
    await this.#committer.submit(() => this.#stmts.setMeta.run(COMPACT_KEY, target));
    this.#compacted = Math.max(this.#compacted, target);
    const chunk = this.#tuning.compactionChunk;
    for (let lo = count(this.#stmts.minId.get()); lo <= target && !this.#closing; lo += chunk) {
      await this.#committer.submit(() => this.#stmts.compactChunk.run({ lo, hi: lo + chunk, rev: target }));
    }
  }

  /** Wait until everything this connection can read is durable (a no-op unless a sync is pending). */
  async #readBarrier(): Promise<void> {
    if (this.#committer.pendingSync) await this.#committer.durable();
  }

  #write<T>(key: string, run: () => T): Promise<T> {
    this.#checkOpen(key);
    return this.#committer.submit(run);
  }

  /**
   * `written`, when given, is the object `json` encodes: it is handed back with its new
   * revision instead of a decode of `json` (a JSON.parse of the whole object per write, ~6 % of
   * a small update's CPU). Like the no-op's answer it may share parts with the watch cache's
   * copy, which callers never modify (caching-storage.ts verifies this under test).
   */
  #applyUpdate(key: string, json: string, pre: Preconditions | undefined, readRevision: number | undefined, bytesOnly = false, written?: StoredObject): StoredObject {
    const cur = this.#current(key);
    if (!cur) throw new StorageError('KeyNotFound', key);
    if (readRevision !== undefined && cur.id !== readRevision) throw new StaleRead();
    checkPreconditions(key, cur, pre);
    if (bytesOnly ? cur.value === json : sameStoredContent(cur.value, json)) return decodeObject(cur.value, cur.id);
    const rev = this.#append(key, 0, 0, cur, json, { type: 'MODIFIED', prevRevision: cur.id, prevValue: cur.value, object: written });
    this.#stmts.upsertCurrent.run(key, rev);
    return written ? this.#handOut(withRevision(written, rev), json) : decodeObject(json, rev);
  }

  /** `obj`, remembered as what `json` encodes for whoever encodes it again (recent-encodings.ts). */
  #handOut(obj: StoredObject, json: string): StoredObject {
    recentEncodings.remember(obj, json, this.#tuning.verifyWrittenObjects === true);
    return obj;
  }

  /** Insert the next log row inside the open batch and remember its change for watchers. */
  #append(
    key: string,
    created: number,
    deleted: number,
    prev: CurrentRow | undefined,
    value: string,
    change: Pick<Change, 'type' | 'prevRevision' | 'prevValue' | 'object'>,
  ): number {
    if (change.object && this.#tuning.verifyWrittenObjects) assertEncodes(key, change.object, value);
    const rev = this.#txRevision + 1;
    this.#stmts.insertRow.run(rev, key, created, deleted, prev?.create_revision ?? rev, prev?.id ?? 0, value);
    // Only after the insert succeeded: a failed write leaves no trace in memory.
    this.#txRevision = rev;
    this.#txChanges.push({ ...change, key, revision: rev, value });
    return rev;
  }

  /**
   * Whether revision is key's current one. Answered from the last writes when the revision is
   * among them (nearly always for a watch cache's copy); otherwise read, and KeyNotFound when
   * key is gone (a delete among the last writes answers false, and the retry's read says so).
   */
  #isNewest(key: string, revision: number): boolean {
    const recent = this.#recent.isNewest(key, revision);
    if (recent !== undefined) return recent;
    const row = this.#stmts.getCurrentId.get(key) as { id: number } | undefined;
    if (!row) throw new StorageError('KeyNotFound', key);
    return row.id === revision;
  }

  #current(key: string): CurrentRow | undefined {
    return this.#stmts.getCurrent.get(key) as CurrentRow | undefined;
  }

  #readHistory(prefix: string, from: number, to: number, limit: number): Change[] {
    if (this.#closing) throw new StorageError('Closed', prefix, 'storage closed');
    if (from < this.#compacted) {
      throw new StorageError('Expired', prefix, `revision ${from} was compacted while the watch caught up`);
    }
    const rows = (
      prefix.endsWith('/')
        ? this.#stmts.historyPrefix.all({ from, to, lo: prefix, hi: prefixEnd(prefix), limit })
        : this.#stmts.historyKey.all({ from, to, key: prefix, limit })
    ) as unknown as HistoryRow[];
    return rows.map((r) => ({
      type: r.created ? 'ADDED' : r.deleted ? 'DELETED' : 'MODIFIED',
      key: r.name,
      revision: r.id,
      value: r.value,
      prevRevision: r.prev_revision,
      prevValue: r.prev_value ?? undefined,
    }));
  }

  #checkOpen(key: string): void {
    if (this.#closing) throw new StorageError('Closed', key, 'storage closed');
  }
}

function checkPreconditions(key: string, cur: CurrentRow, pre: Preconditions | undefined): void {
  if (!pre) return;
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== String(cur.id)) {
    throw new StorageError('Conflict', key, `${key}: resourceVersion ${pre.resourceVersion} does not match ${cur.id}`);
  }
  if (pre.uid !== undefined && pre.uid !== storedUid(cur.value)) {
    throw new StorageError('Conflict', key, `${key}: uid ${pre.uid} does not match`);
  }
}

function count(row: unknown): number {
  const n = (row as CountRow | undefined)?.n;
  return typeof n === 'number' ? n : Number(n ?? 0);
}
