// The etcd backend on a three-member cluster: the conformance suite with requests spread
// over every member (linearizable reads must give read-your-writes across members), and
// losing a member while a replica keeps working.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { runStorageConformance } from '../../../pkg/storage/conformance/suite.ts';
import { isStorageError } from '../../../pkg/storage/errors.ts';
import type { StoredObject, WatchEvent } from '../../../pkg/storage/interface.ts';
import { openEtcdStorage } from '../../../pkg/storage/etcd/index.ts';
import { startEtcd, type EtcdFixture } from './etcd-fixture.ts';

const PATIENCE_MS = 30_000;

let etcd: EtcdFixture | undefined;

before(async () => {
  etcd = await startEtcd({ members: 3 });
});

after(async () => {
  await etcd?.stop();
});

runStorageConformance(
  'etcd, 3 members',
  async () => {
    if (!etcd) throw new Error('etcd fixture did not start (see the before hook failure)');
    const storage = await openEtcdStorage({
      endpoints: etcd.endpoints,
      prefix: `/conformance-${randomBytes(4).toString('hex')}`,
      maxWatcherQueue: 1000,
    });
    return { storage, cleanup: async () => undefined };
  },
  { slowWatcherEvents: 1500, bookmarkTimeoutMs: PATIENCE_MS },
);

/** Retry op while it fails with Unavailable (the cluster electing a leader), up to PATIENCE_MS. */
async function eventually<T>(op: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    try {
      return await op();
    } catch (err) {
      if (!isStorageError(err, 'Unavailable') || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('losing one of three members', () => {
  // Last in the file: it leaves the cluster with two members.
  test('reads, writes and a new watch carry on through the two survivors', async () => {
    assert.ok(etcd);
    const storage = await openEtcdStorage({ endpoints: etcd.endpoints, prefix: `/failover-${randomBytes(4).toString('hex')}` });
    try {
      const p = '/registry/test.kplane.io/things/root/';
      const obj = (n: number): StoredObject => ({ metadata: { name: 'x', uid: 'u' }, spec: n });
      const first = await storage.create(`${p}x`, obj(0));
      await etcd.killMember(0);
      // Possibly the leader: wait out the election, then everything must work without errors.
      await eventually(() => storage.update(`${p}x`, obj(1)));
      for (let i = 2; i <= 20; i++) {
        await storage.update(`${p}x`, obj(i));
        assert.deepEqual((await storage.get(`${p}x`))['spec'], i);
      }
      // History from before the failure is still there, in order.
      const w = await eventually(() => storage.watch(p, Number(first.metadata?.['resourceVersion'])));
      const it = w[Symbol.asyncIterator]();
      const specs: unknown[] = [];
      while (specs.length < 20) {
        const r = await Promise.race([
          it.next(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no watch event in time')), PATIENCE_MS).unref()),
        ]);
        assert.ok(!r.done);
        const ev: WatchEvent = r.value;
        if (ev.type !== 'BOOKMARK') specs.push(ev.object['spec']);
      }
      w.close();
      assert.deepEqual(specs, Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      await storage.close();
    }
  });
});
