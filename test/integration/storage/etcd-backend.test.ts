// etcd-specific behaviour the shared conformance suite cannot see: several storages
// (kplane replicas) on one etcd, the key prefix as it lands in etcd, compaction made by
// someone else, and what callers get when etcd goes away.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import { Etcd3 } from 'etcd3';
import { isStorageError } from '../../../pkg/storage/errors.ts';
import type { Storage, StoredObject, WatchEvent } from '../../../pkg/storage/interface.ts';
import { openEtcdStorage, type EtcdStorageOptions } from '../../../pkg/storage/etcd/index.ts';
import { startEtcd, type EtcdFixture } from './etcd-fixture.ts';

const PATIENCE_MS = 30_000;

/** A fresh list/watch prefix per test. */
function base(): string {
  return `/registry/test-${randomBytes(3).toString('hex')}.kplane.io/things/root/`;
}

function thing(name: string, spec: unknown = 1): StoredObject {
  return { apiVersion: 'v1', kind: 'Thing', metadata: { name, uid: `uid-${name}` }, spec };
}

async function nextEvent(it: AsyncIterator<WatchEvent>): Promise<WatchEvent> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no watch event within ${PATIENCE_MS} ms`)), PATIENCE_MS);
  });
  try {
    for (;;) {
      const r = await Promise.race([it.next(), timeout]);
      assert.ok(!r.done, 'watch ended');
      if (r.value.type !== 'BOOKMARK') return r.value;
    }
  } finally {
    clearTimeout(timer);
  }
}

describe('etcd backend on a shared etcd', () => {
  let etcd: EtcdFixture;
  const opened: Storage[] = [];
  const open = async (opts: Partial<EtcdStorageOptions> = {}) => {
    const s = await openEtcdStorage({ endpoints: etcd.endpoints, ...opts });
    opened.push(s);
    return s;
  };
  const uniquePrefix = () => `/it-${randomBytes(4).toString('hex')}`;

  before(async () => {
    etcd = await startEtcd();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  after(async () => {
    await etcd?.stop();
  });

  test('two replicas with one prefix see each other through get, list and watch', async () => {
    const prefix = uniquePrefix();
    const a = await open({ prefix });
    const b = await open({ prefix });
    const p = base();
    const w = await b.watch(p, await b.currentRevision());
    const it = w[Symbol.asyncIterator]();
    const created = await a.create(`${p}x`, thing('x'));
    const ev = await nextEvent(it);
    assert.equal(ev.type, 'ADDED');
    assert.equal(ev.key, `${p}x`);
    assert.deepEqual(ev.object, created);
    assert.deepEqual(await b.get(`${p}x`), created);
    // A CAS by one replica with the other's stale resourceVersion fails.
    await b.update(`${p}x`, thing('x', 2));
    await assert.rejects(a.update(`${p}x`, thing('x', 3), { resourceVersion: String(created.metadata?.['resourceVersion']) }), (e) =>
      isStorageError(e, 'Conflict'),
    );
    assert.deepEqual((await a.list(p)).items.map((i) => i['spec']), [2]);
    w.close();
  });

  test('keys land in etcd under <prefix>/registry/...; other prefixes see nothing', async () => {
    const prefix = uniquePrefix();
    const mine = await open({ prefix });
    const other = await open({ prefix: uniquePrefix() });
    const p = base();
    await mine.create(`${p}x`, thing('x'));
    const raw = new Etcd3({ hosts: etcd.endpoints });
    try {
      const value = await raw.get(`${prefix}${p}x`).string();
      assert.ok(value, 'the raw etcd key is prefixed');
      assert.equal(JSON.parse(value).metadata.resourceVersion, undefined, 'resourceVersion is never stored');
      assert.equal(await raw.get(`${p}x`).string(), null);
    } finally {
      raw.close();
    }
    assert.deepEqual((await other.list(p)).items, []);
    await assert.rejects(other.get(`${p}x`), (e) => isStorageError(e, 'KeyNotFound'));
    assert.deepEqual((await mine.list(p)).items.map((i) => i.metadata?.['name']), ['x']);
  });

  test('a compaction made by another replica is discovered: compactedRevision, Expired list and watch', async () => {
    const prefix = uniquePrefix();
    const a = await open({ prefix });
    const b = await open({ prefix });
    const p = base();
    const first = await a.create(`${p}x`, thing('x', 1));
    const old = Number(first.metadata?.['resourceVersion']);
    await a.update(`${p}x`, thing('x', 2));
    const target = await a.currentRevision();
    await a.update(`${p}x`, thing('x', 3));
    await a.compact(target);
    assert.equal(await b.compactedRevision(), target);
    await assert.rejects(b.list(p, { revision: old }), (e) => isStorageError(e, 'Expired'));
    await assert.rejects(b.watch(p, old), (e) => isStorageError(e, 'Expired'));
    const w = await b.watch(p, target);
    const ev = await nextEvent(w[Symbol.asyncIterator]());
    assert.deepEqual(ev.object['spec'], 3);
    w.close();
  });

  test('a watch from a future revision waits for it and delivers only later changes', async () => {
    const s = await open({ prefix: uniquePrefix() });
    const p = base();
    const from = (await s.currentRevision()) + 2;
    const w = await s.watch(p, from);
    const it = w[Symbol.asyncIterator]();
    for (const n of ['a', 'b', 'c', 'd']) await s.create(`${p}${n}`, thing(n));
    const ev = await nextEvent(it);
    assert.equal(ev.revision, from + 1);
    assert.equal(ev.key, `${p}c`);
    w.close();
  });

  test('openEtcdStorage on an endpoint nobody listens on fails with Unavailable', async () => {
    await assert.rejects(openEtcdStorage({ endpoints: ['http://127.0.0.1:1'], requestTimeoutMs: 3000 }), (e) =>
      isStorageError(e, 'Unavailable'),
    );
  });
});

describe('etcd backend when etcd goes away', () => {
  test('operations fail with Unavailable (transient) and open watches end with Unavailable', async () => {
    const etcd = await startEtcd();
    const storage = await openEtcdStorage({ endpoints: etcd.endpoints, requestTimeoutMs: 5000 });
    try {
      const p = base();
      await storage.create(`${p}x`, thing('x'));
      const w = await storage.watch(p, await storage.currentRevision());
      const ended = (async () => {
        try {
          for await (const _ of w) {
            // drain until the watch ends
          }
          return undefined;
        } catch (err) {
          return err;
        }
      })();
      await etcd.killMember(0);
      const err = await ended;
      assert.ok(isStorageError(err, 'Unavailable'), `watch ended with ${String(err)}`);
      for (const op of [() => storage.get(`${p}x`), () => storage.create(`${p}y`, thing('y')), () => storage.list(p)]) {
        await assert.rejects(op(), (e) => {
          assert.ok(isStorageError(e, 'Unavailable'), `expected Unavailable, got ${String(e)}`);
          assert.equal(e.transient, true);
          return true;
        });
      }
    } finally {
      await storage.close();
      await etcd.stop();
    }
  });
});
