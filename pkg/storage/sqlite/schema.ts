// The on-disk layout, kine style: `kv` is a log with one row per revision (id = revision),
// `current` points at the newest live row of each key so latest reads and lists do not
// scan history, `meta` holds the compaction mark.
import type { DatabaseSync } from 'node:sqlite';

export type SynchronousMode = 'full' | 'normal';

/**
 * WAL pages after which a commit also checkpoints (copies the WAL back into the database
 * file): 64 MiB of WAL at SQLite's 4 KiB pages. SQLite's default, 1,000 pages, checkpointed every
 * ~250 writes of SyncTarget-sized objects, and the checkpoint runs inside COMMIT on the event
 * loop: it was a third of the loop's time in a write-only run (30,000 creates and 10,000
 * updates, 2.5 s against 1.7 s at this value) because the same index and `current` pages are
 * copied again at every checkpoint. Fewer, larger checkpoints copy each page once per interval.
 * The price: a checkpoint stalls the loop longer when it comes (up to ~60 ms on the benchmark
 * machine, against ~17 ms), and the WAL file grows to ~64 MiB on disk. A restart replays no
 * more than that, and a clean close checkpoints everything.
 */
export const DEFAULT_WAL_AUTOCHECKPOINT_PAGES = 16_384;

export function applyPragmas(db: DatabaseSync, synchronous: SynchronousMode, walAutocheckpointPages = DEFAULT_WAL_AUTOCHECKPOINT_PAGES): void {
  if (!Number.isSafeInteger(walAutocheckpointPages) || walAutocheckpointPages < 1) {
    throw new RangeError(`walAutocheckpointPages must be a positive integer, got ${walAutocheckpointPages}`);
  }
  // WAL: readers never block the writer and a commit is one append (+ fsync when FULL).
  db.exec('PRAGMA journal_mode = WAL');
  // FULL fsyncs the WAL at every COMMIT: an acknowledged write survives kill -9 and power
  // loss. NORMAL survives kill -9 only (the OS still holds the bytes), and is faster.
  db.exec(`PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  // One kplane process owns the file: a second one would hand out the same revisions.
  db.exec('PRAGMA locking_mode = EXCLUSIVE');
  db.exec('PRAGMA foreign_keys = OFF');
  db.exec('PRAGMA temp_store = MEMORY');
  db.exec(`PRAGMA wal_autocheckpoint = ${walAutocheckpointPages}`);
}

export function createSchema(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS kv (
      id INTEGER PRIMARY KEY AUTOINCREMENT,   -- the revision
      name TEXT NOT NULL,                     -- the storage key
      created INTEGER NOT NULL,               -- 1 when this row creates the key
      deleted INTEGER NOT NULL,               -- 1 for a tombstone (value = last state)
      create_revision INTEGER NOT NULL,
      prev_revision INTEGER NOT NULL,         -- previous row of this key incarnation, 0 if none
      value TEXT NOT NULL                     -- the object as JSON, without resourceVersion
    );
    CREATE INDEX IF NOT EXISTS kv_name_id ON kv (name, id);
    CREATE TABLE IF NOT EXISTS current (
      name TEXT PRIMARY KEY,
      id INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS meta (
      k TEXT PRIMARY KEY,
      v INTEGER NOT NULL
    ) WITHOUT ROWID;
  `);
}
