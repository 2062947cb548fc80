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
