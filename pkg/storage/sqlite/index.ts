// Package sqlite is kplane's embedded storage backend: a kine-style revision log in one
// SQLite file (<dir>/kplane.db, WAL) behind storage.Storage. See README.md beside this file.
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StorageError } from '../errors.ts';
import { applyPragmas, createSchema, type SynchronousMode } from './schema.ts';
import { Statements } from './statements.ts';
import { SqliteStorage, type SqliteTuning } from './storage.ts';

export { SqliteStorage } from './storage.ts';
export type { SqliteTuning } from './storage.ts';
export type { SynchronousMode } from './schema.ts';

export const DB_FILE_NAME = 'kplane.db';

export interface SqliteStorageOptions extends Partial<SqliteTuning> {
  /** Directory holding kplane.db (created if missing). */
  dir: string;
  /** 'full' (default) fsyncs every commit; 'normal' survives kill -9 but not power loss. */
  synchronous?: SynchronousMode;
}

/** Open (or create) the database under opts.dir. Fails with Unavailable if another process holds it. */
export async function openSqliteStorage(opts: SqliteStorageOptions): Promise<SqliteStorage> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const file = path.join(opts.dir, DB_FILE_NAME);
  const db = new DatabaseSync(file, { timeout: 0 });
  try {
    applyPragmas(db, opts.synchronous ?? 'full');
    createSchema(db);
    // Take the exclusive lock now (held until close, see locking_mode) so a second
    // process fails here instead of corrupting the revision sequence later.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (err) {
    db.close();
    const busy = /locked|busy/i.test(String(err));
    throw new StorageError('Unavailable', file, busy ? `${file} is in use by another process` : `cannot open ${file}: ${String(err)}`, {
      cause: err,
    });
  }
  return new SqliteStorage(db, new Statements(db), {
    maxBatch: opts.maxBatch ?? 256,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 2000,
    maxWatcherQueue: opts.maxWatcherQueue ?? 10_000,
    historyPageSize: opts.historyPageSize ?? 500,
    compactionChunk: opts.compactionChunk ?? 2000,
    maxUpdateAttempts: opts.maxUpdateAttempts ?? 64,
    now: opts.now ?? Date.now,
  });
}
