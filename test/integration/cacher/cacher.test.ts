// The watch cache against real backends (SQLite always, etcd too): N watchers cost one
// backend watch; cached watches deliver exactly what a direct storage watch delivers (a
// differential test over random writes and random start revisions); watches older than the
// replay window fall back to storage (or Expired); cached lists equal storage lists; a
// broken backend watch resumes without gaps, and lost history relists and ends watchers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CachingStorage } from '../../../pkg/server/cacher/index.ts';
import { StorageError } from '../../../pkg/storage/errors.ts';
import type { Storage, StoredObject, WatchEvent, WatchOptions, Watcher } from '../../../pkg/storage/interface.ts';
import { openEtcdStorage } from '../../../pkg/storage/etcd/index.ts';
import { openSqliteStorage } from '../../../pkg/storage/sqlite/index.ts';
import { type EtcdFixture, startEtcd } from '../storage/etcd-fixture.ts';

const RESOURCE = '/registry/core/configmaps/';

function cmKey(cluster: string, ns: string, name: string): string {
  return `${RESOURCE}${cluster}/${ns}/${name}`;
}

function cm(cluster: string, ns: string, name: string, v: number): StoredObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, annotations: { 'kcp.io/cluster': cluster } }, data: { v: String(v) } };
}

/** Storage that counts backend watches and lets a test break the open ones. */
class SpyStorage {
  readonly storage: Storage;
  watches = 0;
  readonly open = new Set<{ fail(err: unknown): void }>();

  constructor(inner: Storage) {
    const spy = this;
    this.storage = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop !== 'watch') {
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        }
        return async (prefix: string, from: number, opts?: WatchOptions): Promise<Watcher> => {
          spy.watches++;
          return spy.breakable(await target.watch(prefix, from, opts));
        };
      },
    });
  }

  /** Wrap a watcher so that fail(err) makes its iteration throw err at once. */
  private breakable(w: Watcher): Watcher {
    let failWith: ((err: unknown) => void) | undefined;
    const failed = new Promise<never>((_, reject) => (failWith = reject));
    failed.catch(() => undefined);
    const handle = { fail: (err: unknown) => failWith?.(err) };
    this.open.add(handle);
    const open = this.open;
    return {
      close: () => {
        open.delete(handle);
        w.close();
      },
      async *[Symbol.asyncIterator]() {
        const it = w[Symbol.asyncIterator]();
        try {
          for (;;) {
            const r = await Promise.race([it.next(), failed]);
            if (r.done) return;
            yield r.value;
          }
        } finally {
          open.delete(handle);
          w.close();
        }
      },
    };
  }
}

/** Collect a watch's non-bookmark events until one reaches `until` (or fail after 30 s). */
async function collect(w: Watcher, until: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  if (until <= 0) {
    w.close();
    return out;
  }
  const timer = setTimeout(() => w.close(), 30_000);
  for await (const ev of w) {
    if (ev.type !== 'BOOKMARK') out.push(ev);
    if (ev.revision >= until) break;
  }
  clearTimeout(timer);
  w.close();
  return out;
}

const shape = (evs: WatchEvent[]) =>
  evs.map((e) => `${e.type} ${e.key} @${e.revision} rv=${String(e.object.metadata?.resourceVersion)} prev=${String(e.prevObject?.metadata?.resourceVersion ?? '-')} v=${JSON.stringify((e.object as { data?: unknown }).data)}`);

type Opener = () => Promise<Storage>;

function cacherSuite(name: string, open: Opener): void {
  describe(`watch cache over ${name}`, () => {
    test('peek: starts the cache, then answers from memory what the cache has applied, nothing it has not', async () => {
      const spy = new SpyStorage(await open());
      const cache = new CachingStorage(spy.storage);
      try {
        const key = cmKey('root', 'default', 'p');
        const created = await cache.create(key, cm('root', 'default', 'p', 1));
        assert.equal(spy.watches, 0);
        // The first peek starts the resource's cache (one backend watch) and finds nothing yet.
        assert.equal(cache.peek(key), undefined);
        await waitFor(async () => cache.peek(key) !== undefined);
        assert.equal(spy.watches, 1);
        assert.equal(cache.peek(key)?.metadata?.resourceVersion, created.metadata?.resourceVersion);
        assert.equal(cache.peek(cmKey('root', 'default', 'absent')), undefined);
        // A deletion is answered by storage at once and by the cache once it has applied it.
        await cache.delete(key);
        await waitFor(async () => cache.peek(key) === undefined);
        await assert.rejects(cache.get(key), (err: unknown) => err instanceof StorageError && err.code === 'KeyNotFound');
        assert.equal(spy.watches, 1, 'one backend watch for the resource, however often peeked');
      } finally {
        await cache.close();
      }
    });

    test('N watchers on different scopes cost one backend watch and each sees only its scope', async () => {
      const spy = new SpyStorage(await open());
      const cache = new CachingStorage(spy.storage);
      try {
        const start = await cache.currentRevision();
        const scopes = ['root/', 'root/default/', 'root/kube-system/', 'root:org/', 'root:org/default/', ''].map((s) => RESOURCE + s);
        const watchers = await Promise.all(scopes.flatMap((p) => [cache.watch(p, start), cache.watch(p, start, { progressNotify: true })]));
        assert.equal(spy.watches, 1, 'one backend watch for the resource');
        let last = 0;
        for (const [cl, ns] of [['root', 'default'], ['root', 'kube-system'], ['root:org', 'default']] as const) {
          last = Number((await cache.create(cmKey(cl, ns, 'a'), cm(cl, ns, 'a', 1))).metadata?.resourceVersion);
        }
        const seen = await Promise.all(watchers.map(async (w, i) => {
          const prefix = scopes[Math.floor(i / 2)]!;
          const direct = await collect(await spy.storage.watch(RESOURCE, start), last);
          const want = direct.filter((e) => e.key.startsWith(prefix));
          const got = await collectScoped(w, want.at(-1)?.revision ?? 0);
          return [shape(got), shape(want)] as const;
        }));
        for (const [got, want] of seen) assert.deepEqual(got, want);
      } finally {
        await cache.close();
      }
    });

    test('differential: cached watches from random revisions equal direct storage watches', async () => {
      const spy = new SpyStorage(await open());
      const cache = new CachingStorage(spy.storage, { ringCapacity: 10_000 });
      try {
        // Warm the cacher before any history exists, so every later revision is in the window.
        (await cache.watch(RESOURCE, await cache.currentRevision())).close();
        const clusters = ['root', 'root:a'];
        const namespaces = ['default', 'x'];
        const live = new Map<string, number>();
        const starts: number[] = [await cache.currentRevision()];
        let seed = 7;
        const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
        for (let i = 0; i < 150; i++) {
          const cl = clusters[rand(2)]!;
          const ns = namespaces[rand(2)]!;
          const name = `o${rand(6)}`;
          const key = cmKey(cl, ns, name);
          const v = live.get(key);
          if (v === undefined) {
            await cache.create(key, cm(cl, ns, name, i));
            live.set(key, i);
          } else if (rand(4) === 0) {
            await cache.delete(key);
            live.delete(key);
          } else {
            await cache.update(key, cm(cl, ns, name, i));
            live.set(key, i);
          }
          if (rand(10) === 0) starts.push(await cache.currentRevision());
        }
        const end = await cache.currentRevision();
        const backendBefore = spy.watches;
        for (const from of starts) {
          for (const prefix of [RESOURCE, RESOURCE + 'root/', RESOURCE + 'root:a/x/', cmKey('root', 'default', 'o1')]) {
            const want = (await collect(await spy.storage.watch(RESOURCE, from), end)).filter((e) => (prefix.endsWith('/') ? e.key.startsWith(prefix) : e.key === prefix));
            const got = await collectScoped(await cache.watch(prefix, from), want.at(-1)?.revision ?? 0);
            assert.deepEqual(shape(got), shape(want), `prefix ${prefix} from ${from}`);
          }
        }
        // Only the direct watches of this test reached the backend.
        assert.equal(spy.watches - backendBefore, starts.length * 4);
        // And a cached list equals the storage list for every scope.
        for (const prefix of [RESOURCE, RESOURCE + 'root/', RESOURCE + 'root:a/x/']) {
          const cached = await cache.listCached(prefix, 0);
          const stored = await cache.list(prefix);
          assert.ok(cached);
          assert.equal(cached.revision, end);
          assert.deepEqual(cached.items, stored.items, prefix);
        }
        assert.equal(await cache.listCached(RESOURCE, end + 1), undefined, 'a cache behind minRevision defers to storage');
      } finally {
        await cache.close();
      }
    });

    test('older than the replay window: storage serves it, or Expired once compacted', async () => {
      const spy = new SpyStorage(await open());
      const cache = new CachingStorage(spy.storage, { ringCapacity: 5 });
      try {
        (await cache.watch(RESOURCE, await cache.currentRevision())).close();
        const first = Number((await cache.create(cmKey('root', 'default', 'w'), cm('root', 'default', 'w', 0))).metadata?.resourceVersion);
        let last = first;
        for (let i = 1; i <= 20; i++) last = Number((await cache.update(cmKey('root', 'default', 'w'), cm('root', 'default', 'w', i))).metadata?.resourceVersion);
        // Let the cache catch up (etcd delivers asynchronously) so `first` has left its window.
        await waitFor(async () => (cache.cacher(RESOURCE)?.stats().revision ?? 0) >= last);
        const before = spy.watches;
        const got = await collectScoped(await cache.watch(RESOURCE, first), last);
        assert.equal(spy.watches, before + 1, 'served by a storage watch');
        assert.deepEqual(got.map((e) => e.revision).length, 20);
        const inWindow = await collectScoped(await cache.watch(RESOURCE, last - 3), last);
        assert.equal(spy.watches, before + 1, 'in the window: from memory');
        assert.equal(inWindow.length, 3);
        await cache.compact(last - 1);
        await assert.rejects(cache.watch(RESOURCE, first), (e) => e instanceof StorageError && e.code === 'Expired');
      } finally {
        await cache.close();
      }
    });

    test('replay events past the freshness window are dropped (storage serves older resumes); a held prevObject is the cached object', async () => {
      const spy = new SpyStorage(await open());
      let now = 1_000_000;
      const cache = new CachingStorage(spy.storage, { ringMaxAgeMs: 75_000, ringMinEvents: 1, now: () => now });
      try {
        (await cache.watch(RESOURCE, await cache.currentRevision())).close();
        const key = cmKey('root', 'default', 'aged');
        const first = Number((await cache.create(key, cm('root', 'default', 'aged', 0))).metadata?.resourceVersion);
        await waitFor(async () => (cache.cacher(RESOURCE)?.stats().revision ?? 0) >= first);
        const held = (await cache.listCached(RESOURCE, first))!.items.find((o) => o.metadata?.name === 'aged')!;
        now += 60_000;
        const second = Number((await cache.update(key, cm('root', 'default', 'aged', 1))).metadata?.resourceVersion);
        await waitFor(async () => (cache.cacher(RESOURCE)?.stats().revision ?? 0) >= second);
        const w = await cache.watch(RESOURCE, first);
        const [modified] = await collectScoped(w, second);
        assert.equal(modified?.prevObject, held, 'one copy of the previous version: the one the cache held');
        const before = spy.watches;
        now += 30_000; // the create is now 90 s old, the update 30 s
        cache.cacher(RESOURCE)!.trimRing();
        assert.equal(cache.cacher(RESOURCE)!.stats().events, 1);
        assert.equal(cache.cacher(RESOURCE)!.stats().windowStart, first);
        (await cache.watch(RESOURCE, first)).close();
        assert.equal(spy.watches, before, 'from first on is still in memory');
        (await cache.watch(RESOURCE, first - 1)).close();
        assert.equal(spy.watches, before + 1, 'older: storage');
      } finally {
        await cache.close();
      }
    });

    test('a broken backend watch resumes gap-free; lost history relists and ends cache watchers', async () => {
      const spy = new SpyStorage(await open());
      const cache = new CachingStorage(spy.storage, { retryBaseMs: 10 });
      try {
        const start = await cache.currentRevision();
        const w = await cache.watch(RESOURCE, start);
        const k = cmKey('root', 'default', 'b');
        await cache.create(k, cm('root', 'default', 'b', 0));
        for (const h of spy.open) h.fail(new StorageError('Unavailable', RESOURCE, 'stream broke'));
        let last = 0;
        for (let i = 1; i <= 5; i++) last = Number((await cache.update(k, cm('root', 'default', 'b', i))).metadata?.resourceVersion);
        const got = await collect(w, last);
        assert.deepEqual(got.map((e) => e.type), ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED']);
        assert.ok(spy.watches >= 2, 'the cacher re-watched');

        const w2 = await cache.watch(RESOURCE, last);
        for (const h of spy.open) h.fail(new StorageError('Expired', RESOURCE, 'compacted'));
        const ended = await collect(w2, Number.MAX_SAFE_INTEGER);
        assert.deepEqual(ended, [], 'the watcher ended (clients re-watch or re-list)');
        const after = Number((await cache.update(k, cm('root', 'default', 'b', 99))).metadata?.resourceVersion);
        await waitFor(async () => (await cache.listCached(RESOURCE, after)) !== undefined);
        const listed = await cache.listCached(RESOURCE, after);
        assert.equal((listed?.items[0] as { data?: { v?: string } }).data?.v, '99', 'relisted cache is current');
      } finally {
        await cache.close();
      }
    });

    test('a watcher of a quiet scope gets bookmarks while the resource stays busy', async () => {
      const cache = new CachingStorage(await open(), { bookmarkIdleMs: 200 });
      try {
        const from = await cache.currentRevision();
        const w = await cache.watch(RESOURCE + 'root:quiet/', from, { progressNotify: true });
        let busy = true;
        const writer = (async () => {
          for (let i = 0; busy; i++) await cache.create(cmKey('root', 'default', `busy${i}`), cm('root', 'default', `busy${i}`, i));
        })();
        const timer = setTimeout(() => w.close(), 30_000);
        let bookmark: WatchEvent | undefined;
        for await (const ev of w) {
          bookmark = ev;
          break;
        }
        clearTimeout(timer);
        w.close();
        busy = false;
        await writer;
        assert.equal(bookmark?.type, 'BOOKMARK');
        assert.ok((bookmark?.revision ?? 0) >= from);
        assert.equal(bookmark?.object.metadata?.resourceVersion, String(bookmark?.revision));
      } finally {
        await cache.close();
      }
    });

    test('close ends cache watchers', async () => {
      const cache = new CachingStorage(await open());
      const w = await cache.watch(RESOURCE, await cache.currentRevision());
      const done = collect(w, Number.MAX_SAFE_INTEGER);
      await cache.close();
      assert.deepEqual(await done, []);
    });
  });
}

async function collectScoped(w: Watcher, until: number): Promise<WatchEvent[]> {
  return collect(w, until);
}

async function waitFor(cond: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

cacherSuite('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kplane-cacher-'));
  dirs.push(dir);
  return openSqliteStorage({ dir, bookmarkIntervalMs: 100 });
});

let etcd: EtcdFixture | undefined;
before(async () => {
  etcd = await startEtcd({ progressNotifyInterval: '250ms' });
});
after(async () => {
  await etcd?.stop();
});

cacherSuite('etcd', async () => {
  if (!etcd) throw new Error('etcd fixture did not start');
  return openEtcdStorage({ endpoints: etcd.endpoints, prefix: `/cacher-${randomBytes(4).toString('hex')}` });
});
