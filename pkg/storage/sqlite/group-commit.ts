// Group commit: writes submitted in the same turn of the event loop (or while the previous
// batch was being written) run in ONE transaction, each inside its own savepoint so one
// failed write (KeyExists, Conflict) does not undo its neighbours.
//
// Durability: a promise resolves only once its batch is on disk. Either SQLite fsyncs inside
// COMMIT (synchronous=FULL: the event loop stops for every fsync), or — with a `sync`
// function (the WAL file's fdatasync on libuv's thread pool, synchronous=NORMAL so COMMIT
// itself does not fsync) — COMMIT only appends to the WAL and the batch waits for the next
// sync, off the event loop. One sync runs at a time and covers every batch committed before
// it started (fsync is cumulative), so under load many transactions share one fsync, and the
// event loop parses, admits and encodes the next requests while the disk works.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { StorageError } from '../errors.ts';

/** What the owner does around a batch: reset in-transaction state, publish it, or drop it. */
export interface BatchHooks {
  begin(): void;
  /**
   * COMMIT returned: the batch is visible to this connection's reads. Returns what to run
   * once it is durable (publish to watchers), before the writers' promises resolve.
   */
  committed(): () => void;
  aborted(): void;
  /** Before each write: a mark of what the owner has recorded in the transaction so far. */
  mark(): number;
  /**
   * The write since `mark` failed and was rolled back to its savepoint: the owner forgets
   * what it recorded for it (its revisions and changes), as the database has.
   */
  rolledBack(mark: number): void;
}

/** Makes everything committed so far durable (fdatasync of the WAL); runs off the event loop. */
export type SyncFunc = () => Promise<void>;

interface PendingWrite {
  run(): unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export interface GroupCommitStats {
  batches: number;
  writes: number;
  /** fsyncs issued by the committer itself (0 when SQLite fsyncs inside COMMIT). */
  syncs: number;
}

/** A committed batch (or a reader) waiting for the next sync. */
type AfterSync = { ok: () => void; fail: (err: unknown) => void };

export class GroupCommitter {
  readonly #hooks: BatchHooks;
  readonly #maxBatch: number;
  readonly #begin: StatementSync;
  readonly #commit: StatementSync;
  readonly #rollback: StatementSync;
  readonly #savepoint: StatementSync;
  readonly #release: StatementSync;
  readonly #rollbackTo: StatementSync;
  readonly #sync: SyncFunc | undefined;
  #queue: PendingWrite[] = [];
  #scheduled = false;
  #drained: Array<() => void> = [];
  /** Committed, not yet durable: resolved in order by the next sync. */
  #awaitingSync: AfterSync[] = [];
  #syncing = false;
  /** What the running sync resolves when it ends (it covers every commit made before it began). */
  #covered: AfterSync[] = [];
  /** A batch committed after the running sync began (so that sync does not cover it). */
  #committedSinceSync = false;
  /** Set when a sync failed: what is on disk is unknown, so nothing more is acknowledged. */
  #broken: unknown;
  readonly stats: GroupCommitStats = { batches: 0, writes: 0, syncs: 0 };

  constructor(db: DatabaseSync, hooks: BatchHooks, maxBatch: number, sync?: SyncFunc) {
    this.#hooks = hooks;
    this.#maxBatch = maxBatch;
    this.#sync = sync;
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    this.#savepoint = db.prepare('SAVEPOINT w');
    this.#release = db.prepare('RELEASE w');
    this.#rollbackTo = db.prepare('ROLLBACK TO w');
  }

  /** Queue run() for the next batch; it executes inside the transaction and must be synchronous. */
  submit<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Resolves once every write submitted so far has been committed (and synced) or failed. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && !this.#scheduled && !this.#syncing) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** True while a committed batch may not be on disk yet (reads must not be answered from it). */
  get pendingSync(): boolean {
    return this.#syncing || this.#awaitingSync.length > 0;
  }

  /**
   * Resolves once everything committed so far is durable: a read that may have seen a
   * committed but not yet synced write waits here, so no client ever sees a write that a
   * power loss could take back. Rejects if that sync failed.
   */
  durable(): Promise<void> {
    if (this.#broken !== undefined) return Promise.reject(unavailable('fsync', this.#broken));
    if (!this.pendingSync) return Promise.resolve();
    return new Promise((ok, fail) => {
      // Everything this reader could see is covered by the running sync unless a batch
      // committed after it began; then the next sync is the one to wait for.
      if (this.#syncing && !this.#committedSinceSync) this.#covered.push({ ok, fail });
      else this.#awaitingSync.push({ ok, fail });
      this.#startSync();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate (not a microtask) lets pending I/O callbacks add their writes first.
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue.splice(0, this.#maxBatch);
    if (batch.length > 0) this.#runBatch(batch);
    if (this.#queue.length > 0) {
      this.#schedule();
    } else {
      this.#maybeDrained();
    }
  }

  #maybeDrained(): void {
    if (this.#queue.length === 0 && !this.#scheduled && !this.#syncing) for (const done of this.#drained.splice(0)) done();
  }

  /** Start a sync for everything awaiting one, unless one is running (its end starts the next). */
  #startSync(): void {
    if (this.#syncing || this.#awaitingSync.length === 0 || !this.#sync) return;
    this.#syncing = true;
    this.#committedSinceSync = false;
    const covered = (this.#covered = this.#awaitingSync.splice(0));
    this.stats.syncs++;
    this.#sync().then(
      () => {
        this.#syncing = false;
        for (const w of covered) w.ok();
        this.#startSync();
        this.#maybeDrained();
      },
      (err: unknown) => {
        this.#syncing = false;
        // fsync failing leaves the file's state unknown (the kernel may have dropped the
        // dirty pages): refuse everything from now on, as etcd and PostgreSQL do.
        this.#broken = err;
        for (const w of [...covered, ...this.#awaitingSync.splice(0)]) w.fail(err);
        this.#maybeDrained();
      },
    );
  }

  #runBatch(batch: PendingWrite[]): void {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    if (this.#broken !== undefined) {
      for (const w of batch) w.reject(unavailable('fsync', this.#broken));
      return;
    }
    try {
      this.#begin.run();
    } catch (err) {
      for (const w of batch) w.reject(unavailable('begin', err));
      return;
    }
    this.#hooks.begin();
    try {
      for (const w of batch) {
        const mark = this.#hooks.mark();
        this.#savepoint.run();
        try {
          outcomes.push({ ok: true, value: w.run() });
          this.#release.run();
        } catch (err) {
          this.#rollbackTo.run();
          this.#release.run();
          this.#hooks.rolledBack(mark);
          outcomes.push({ ok: false, err });
        }
      }
      this.#commit.run();
    } catch (err) {
      try {
        this.#rollback.run();
      } catch {
        // The transaction may already be gone (SQLite rolls back on some I/O errors).
      }
      this.#hooks.aborted();
      for (const w of batch) w.reject(unavailable('commit', err));
      return;
    }
    const publish = this.#hooks.committed();
    this.stats.batches++;
    this.stats.writes += batch.length;
    const settle = () =>
      batch.forEach((w, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) w.resolve(outcome.value);
        else w.reject(outcome?.err);
      });
    if (!this.#sync) {
      // SQLite fsynced inside COMMIT.
      publish();
      settle();
      return;
    }
    this.#committedSinceSync = true;
    this.#awaitingSync.push({
      ok: () => {
        publish();
        settle();
      },
      fail: (err) => {
        for (const w of batch) w.reject(unavailable('fsync', err));
      },
    });
    this.#startSync();
  }
}

function unavailable(stage: string, cause: unknown): StorageError {
  return new StorageError('Unavailable', '', `sqlite ${stage} failed: ${String(cause)}`, { cause });
}
