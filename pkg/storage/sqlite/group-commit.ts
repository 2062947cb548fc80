// Group commit: writes submitted in the same turn of the event loop (or while the previous
// batch was being written) run in ONE transaction, each inside its own savepoint so one
// failed write (KeyExists, Conflict) does not undo its neighbours. A promise resolves only
// after COMMIT returned, so with synchronous=FULL every acknowledged write is on disk.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { StorageError } from '../errors.ts';

/** What the owner does around a batch: reset in-transaction state, publish it, or drop it. */
export interface BatchHooks {
  begin(): void;
  committed(): void;
  aborted(): void;
}

interface PendingWrite {
  run(): unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export interface GroupCommitStats {
  batches: number;
  writes: number;
}

export class GroupCommitter {
  readonly #hooks: BatchHooks;
  readonly #maxBatch: number;
  readonly #begin: StatementSync;
  readonly #commit: StatementSync;
  readonly #rollback: StatementSync;
  readonly #savepoint: StatementSync;
  readonly #release: StatementSync;
  readonly #rollbackTo: StatementSync;
  #queue: PendingWrite[] = [];
  #scheduled = false;
  #drained: Array<() => void> = [];
  readonly stats: GroupCommitStats = { batches: 0, writes: 0 };

  constructor(db: DatabaseSync, hooks: BatchHooks, maxBatch: number) {
    this.#hooks = hooks;
    this.#maxBatch = maxBatch;
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

  /** Resolves once every write submitted so far has been committed or failed. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && !this.#scheduled) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
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
      for (const done of this.#drained.splice(0)) done();
    }
  }

  #runBatch(batch: PendingWrite[]): void {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    try {
      this.#begin.run();
    } catch (err) {
      for (const w of batch) w.reject(unavailable('begin', err));
      return;
    }
    this.#hooks.begin();
    try {
      for (const w of batch) {
        this.#savepoint.run();
        try {
          outcomes.push({ ok: true, value: w.run() });
          this.#release.run();
        } catch (err) {
          this.#rollbackTo.run();
          this.#release.run();
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
    this.#hooks.committed();
    this.stats.batches++;
    this.stats.writes += batch.length;
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) w.resolve(outcome.value);
      else w.reject(outcome?.err);
    });
  }
}

function unavailable(stage: string, cause: unknown): StorageError {
  return new StorageError('Unavailable', '', `sqlite ${stage} failed: ${String(cause)}`, { cause });
}
