// Package sqlite is kplane's embedded storage backend: a kine-style revision log in one
// SQLite file (<dir>/kplane.db, WAL) behind storage.Storage. See README.md beside this file.
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StorageError } from '../errors.ts';
import { applyPragmas, createSchema, type SynchronousMode } from './schema.ts';
import { Statements } from './statements.ts';
import { SqliteStorage, type SqliteTuning, type WalSync } from './storage.ts';

export { SqliteStorage } from './storage.ts';
export type { SqliteTuning } from './storage.ts';
export type { SynchronousMode } from './schema.ts';

export const DB_FILE_NAME = 'kplane.db';

export interface SqliteStorageOptions extends Partial<SqliteTuning> {
  /** Directory holding kplane.db (created if missing). */
  dir: string;
  /** 'full' (default) fsyncs every commit; 'normal' survives kill -9 but not power loss. */
  synchronous?: SynchronousMode;
  /**
   * With 'full': where the fsync runs. 'commit' (default): SQLite fsyncs inside COMMIT, on the
   * event loop. 'thread-pool': COMMIT only appends to the WAL and an fdatasync of the WAL on
   * libuv's thread pool makes it durable before any writer is answered or any reader or
   * watcher sees it (group-commit.ts), so the event loop parses, admits and encodes the next
   * requests while the disk works. `kplane start` uses it unless `--sqlite-fsync commit`
   * (measured on its write-heavy paths, README "Performance"); the library default stays
   * 'commit' for callers that set nothing.
   */
  fsync?: 'thread-pool' | 'commit';
  /** WAL pages between checkpoints (schema.ts DEFAULT_WAL_AUTOCHECKPOINT_PAGES). */
  walAutocheckpointPages?: number;
  /** Tests: wrap the WAL sync to hold it back or make it fail. */
  wrapSync?: (sync: () => Promise<void>) => () => Promise<void>;
}

/** Open (or create) the database under opts.dir. Fails with Unavailable if another process holds it. */
export async function openSqliteStorage(opts: SqliteStorageOptions): Promise<SqliteStorage> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const file = path.join(opts.dir, DB_FILE_NAME);
  const db = new DatabaseSync(file, { timeout: 0 });
  const synchronous = opts.synchronous ?? 'full';
  const offLoop = synchronous === 'full' && opts.fsync === 'thread-pool';
  let wal: WalSync | undefined;
  try {
    // Off the loop, SQLite must not fsync in COMMIT (NORMAL still syncs around checkpoints,
    // which keeps the file consistent); walSync below makes each commit durable instead.
    applyPragmas(db, offLoop ? 'normal' : synchronous, opts.walAutocheckpointPages);
    createSchema(db);
    // Take the exclusive lock now (held until close, see locking_mode) so a second
    // process fails here instead of corrupting the revision sequence later.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    if (offLoop) {
      wal = walSync(file);
      if (opts.wrapSync) wal = { ...wal, sync: opts.wrapSync(wal.sync) };
    }
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
    recentWrites: opts.recentWrites ?? 4096,
    now: opts.now ?? Date.now,
    verifyWrittenObjects: opts.verifyWrittenObjects ?? false,
  }, wal);
}

/**
 * fdatasync of `<file>-wal` on libuv's thread pool. In WAL mode with one exclusive connection
 * the WAL file lives (same inode, rewritten from its start after checkpoints) as long as the
 * connection is open, so one descriptor serves every sync; fsync on Linux flushes the file's
 * dirty pages whichever descriptor asks. The directory is synced once so the WAL file's
 * own entry is durable too.
 */
function walSync(file: string): WalSync {
  // The WAL file exists from the first write in WAL mode on: the schema and the locking
  // transaction above. Its absence would mean SQLite is not in WAL mode, and then this
  // descriptor would make nothing durable: fail loudly instead.
  const fd = fs.openSync(`${file}-wal`, 'r');
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
  return {
    sync: () => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()))),
    close: () => fs.closeSync(fd),
  };
}
