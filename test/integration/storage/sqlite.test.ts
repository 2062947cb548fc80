// The shared storage conformance suite against the SQLite backend on real files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runStorageConformance } from '../../../pkg/storage/conformance/suite.ts';
import { openSqliteStorage } from '../../../pkg/storage/sqlite/index.ts';

runStorageConformance(
  'sqlite',
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kplane-sqlite-'));
    const storage = await openSqliteStorage({ dir, bookmarkIntervalMs: 100, maxWatcherQueue: 1000 });
    return { storage, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
  { slowWatcherEvents: 1500, bookmarkTimeoutMs: 30_000 },
);

// The same suite with the fsync on libuv's thread pool: commits are visible to this
// connection before they are durable, so every read, watch and revision must still only
// show durable state (pkg/storage/sqlite/group-commit.ts).
runStorageConformance(
  'sqlite, fsync on the thread pool',
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kplane-sqlite-'));
    const storage = await openSqliteStorage({ dir, fsync: 'thread-pool', bookmarkIntervalMs: 100, maxWatcherQueue: 1000 });
    return { storage, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
  { slowWatcherEvents: 1500, bookmarkTimeoutMs: 30_000 },
);
