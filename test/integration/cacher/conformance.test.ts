// The shared storage conformance suite, unchanged, against CachingStorage over SQLite and
// over etcd: the watch cache must keep every watch semantic of the backend it wraps.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { CachingStorage } from '../../../pkg/server/cacher/index.ts';
import { runStorageConformance } from '../../../pkg/storage/conformance/suite.ts';
import { openEtcdStorage } from '../../../pkg/storage/etcd/index.ts';
import { openSqliteStorage } from '../../../pkg/storage/sqlite/index.ts';
import { type EtcdFixture, startEtcd } from '../storage/etcd-fixture.ts';

// Small ring so that the suite's longer histories also run through the storage fallback.
const CACHE = { ringCapacity: 50, maxWatcherQueue: 1000, retryBaseMs: 20 };

runStorageConformance(
  'cached sqlite',
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kplane-cacher-'));
    const inner = await openSqliteStorage({ dir, bookmarkIntervalMs: 100, maxWatcherQueue: 1000 });
    return { storage: new CachingStorage(inner, CACHE), cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
  { slowWatcherEvents: 1500, bookmarkTimeoutMs: 30_000 },
);

let etcd: EtcdFixture | undefined;
before(async () => {
  etcd = await startEtcd({ progressNotifyInterval: '250ms' });
});
after(async () => {
  await etcd?.stop();
});

runStorageConformance(
  'cached etcd',
  async () => {
    if (!etcd) throw new Error('etcd fixture did not start (see the before hook failure)');
    const inner = await openEtcdStorage({ endpoints: etcd.endpoints, prefix: `/cacher-${randomBytes(4).toString('hex')}`, maxWatcherQueue: 1000 });
    return { storage: new CachingStorage(inner, CACHE), cleanup: async () => undefined };
  },
  { slowWatcherEvents: 1500, bookmarkTimeoutMs: 30_000 },
);
