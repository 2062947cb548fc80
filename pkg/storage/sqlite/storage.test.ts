// SQLite-specific behaviour the shared conformance suite cannot see: the file layout,
// group commit, reopening, the single-owner lock, and compaction racing a catching-up watch.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { isStorageError } from '../errors.ts';
import type { StoredObject } from '../interface.ts';
import { DB_FILE_NAME, openSqliteStorage, SqliteStorage, type SqliteStorageOptions } from './index.ts';
import { applyPragmas, createSchema } from './schema.ts';
import { Statements } from './statements.ts';

const P = '/registry/test.kplane.io/things/root/';

describe('sqlite backend', () => {
  let dir = '';
  const open: SqliteStorage[] = [];
  const openStorage = async (opts: Partial<SqliteStorageOptions> = {}) => {
    const s = await openSqliteStorage({ dir, ...opts });
    open.push(s);
    return s;
  };
  const rows = (sql: string) => {
    const db = new DatabaseSync(path.join(dir, DB_FILE_NAME), { readOnly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kplane-sqlite-unit-'));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('stored JSON never contains resourceVersion; one row per revision', async () => {
    const s = await openStorage();
    await s.create(`${P}a`, { metadata: { name: 'a', resourceVersion: '77' } });
    await s.update(`${P}a`, { metadata: { name: 'a', resourceVersion: '1' }, spec: 1 });
    await s.delete(`${P}a`);
    await s.close();
    const log = rows('SELECT id, created, deleted, create_revision, prev_revision, value FROM kv ORDER BY id');
    assert.deepEqual(
      log.map((r) => [r['id'], r['created'], r['deleted'], r['create_revision'], r['prev_revision']]),
      [
        [1, 1, 0, 1, 0],
        [2, 0, 0, 1, 1],
        [3, 0, 1, 1, 2],
      ],
    );
    for (const r of log) assert.ok(!String(r['value']).includes('resourceVersion'), String(r['value']));
    assert.deepEqual(rows('SELECT * FROM current'), []);
  });

  test('a cached copy judged "no change" is answered only while current: from the last writes, then past them, and after a reopen', async () => {
    // A ring of 2 writes: the copies below are judged from memory first, then by a read once
    // the writes they depend on have been dropped, and after a reopen (a new floor).
    const noChange = () => null;
    const spec = (o: StoredObject): unknown => o['spec'];
    let s = await openStorage({ recentWrites: 2 });
    const a1 = await s.create(`${P}a`, { metadata: { name: 'a' }, spec: 1 });
    const current = structuredClone(a1);
    assert.equal(await s.guaranteedUpdate(`${P}a`, noChange, undefined, current), current, 'current: the copy itself');
    const a2 = await s.update(`${P}a`, { metadata: { name: 'a' }, spec: 2 });
    const stale = current;
    const seen: unknown[] = [];
    const judged = (o: StoredObject) => (seen.push(spec(o)), null);
    assert.equal(spec(await s.guaranteedUpdate(`${P}a`, judged, undefined, stale)), 2, 'stale among the last writes: judged again on the stored object');
    assert.deepEqual(seen, [1, 2]);
    // Two writes of other keys drop a's: the stale copy is now below the floor, and a's
    // current copy is older than the floor too. Both are decided by reading.
    await s.create(`${P}b`, { metadata: { name: 'b' } });
    await s.create(`${P}c`, { metadata: { name: 'c' } });
    seen.length = 0;
    assert.equal(spec(await s.guaranteedUpdate(`${P}a`, judged, undefined, stale)), 2);
    assert.deepEqual(seen, [1, 2]);
    const a2copy = structuredClone(a2);
    assert.equal(await s.guaranteedUpdate(`${P}a`, noChange, undefined, a2copy), a2copy, 'current though older than the floor: read, then the copy');
    // A delete among the last writes: the copy is not current, and the retry finds no key.
    const b = structuredClone(await s.get(`${P}b`));
    await s.delete(`${P}b`);
    await assert.rejects(s.guaranteedUpdate(`${P}b`, noChange, undefined, b), (e: unknown) => isStorageError(e) && e.code === 'KeyNotFound');
    // Reopened: the floor is the revision at open; a copy of that age is current until a write.
    await s.close();
    s = await openStorage({ recentWrites: 2 });
    const c = structuredClone(await s.get(`${P}c`));
    assert.equal(await s.guaranteedUpdate(`${P}c`, noChange, undefined, c), c);
    await s.update(`${P}c`, { metadata: { name: 'c' }, spec: 'new' });
    seen.length = 0;
    assert.equal(spec(await s.guaranteedUpdate(`${P}c`, judged, undefined, c)), 'new');
    assert.deepEqual(seen, [undefined, 'new']);
  });

  test('a write that fails after its row was inserted leaves no event and no gap in the revisions', async () => {
    // Only an I/O error could make the statement after the insert fail; a Statements whose
    // upsertCurrent throws for one key stands in for it.
    const db = new DatabaseSync(path.join(dir, DB_FILE_NAME));
    applyPragmas(db, 'full');
    createSchema(db);
    const stmts = new Statements(db);
    const real = stmts.upsertCurrent;
    const failing = new Proxy(real, {
      get(target, prop) {
        if (prop !== 'run') return Reflect.get(target, prop, target) as unknown;
        return (...args: unknown[]) => {
          if (args[0] === `${P}bad`) throw new Error('disk I/O error (simulated)');
          return (target.run as (...a: unknown[]) => unknown)(...args);
        };
      },
    });
    Object.defineProperty(stmts, 'upsertCurrent', { value: failing });
    const s = new SqliteStorage(db, stmts, { maxBatch: 256, bookmarkIntervalMs: 2000, maxWatcherQueue: 100, historyPageSize: 100, compactionChunk: 100, maxUpdateAttempts: 8, recentWrites: 16, now: Date.now });
    open.push(s);
    const w = await s.watch(P, 0);
    // One batch: the middle write fails after its insert.
    const results = await Promise.allSettled([s.create(`${P}a`, { metadata: { name: 'a' } }), s.create(`${P}bad`, { metadata: { name: 'bad' } }), s.create(`${P}b`, { metadata: { name: 'b' } })]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    const revs = results.flatMap((r) => (r.status === 'fulfilled' ? [Number(r.value.metadata?.resourceVersion)] : []));
    assert.deepEqual(revs, [1, 2], 'the failed write took no revision');
    const events = [];
    for await (const ev of w) {
      events.push([ev.type, ev.key, ev.revision]);
      if (events.length === 2) break;
    }
    assert.deepEqual(events, [['ADDED', `${P}a`, 1], ['ADDED', `${P}b`, 2]]);
    assert.equal(await s.currentRevision(), 2);
    await assert.rejects(s.get(`${P}bad`), (e: unknown) => isStorageError(e) && e.code === 'KeyNotFound');
    await s.close();
    assert.deepEqual(rows('SELECT id, name FROM kv ORDER BY id').map((r) => [r['id'], r['name']]), [[1, `${P}a`], [2, `${P}b`]]);
  });

  test('concurrent writes share transactions (group commit)', async () => {
    const s = await openStorage();
    await Promise.all(Array.from({ length: 100 }, (_, i) => s.create(`${P}k${i}`, { metadata: { name: `k${i}` } })));
    const { batches, writes } = s.commitStats;
    assert.equal(writes, 100);
    assert.ok(batches < 10, `${batches} transactions for 100 concurrent writes`);
  });

  /** A sync wrapper that holds every sync until release() (or fails them with fail()). */
  const heldSyncs = () => {
    const held: Array<{ go: () => void; fail: (e: Error) => void }> = [];
    let count = 0;
    return {
      wrapSync: (sync: () => Promise<void>) => () => {
        count++;
        return new Promise<void>((resolve, reject) => held.push({ go: () => void sync().then(resolve, reject), fail: reject }));
      },
      started: () => count,
      release: () => held.splice(0).forEach((h) => h.go()),
      fail: (e: Error) => held.splice(0).forEach((h) => h.fail(e)),
    };
  };
  const settled = async (p: Promise<unknown>) => {
    let done = false;
    void p.then(
      () => (done = true),
      () => (done = true),
    );
    // Let every pending callback run (setImmediate batches, promise chains) before looking.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    return done;
  };

  test('fsync off the loop: no writer is answered, no reader and no watcher sees a commit before its sync', async () => {
    const syncs = heldSyncs();
    const s = await openStorage({ fsync: 'thread-pool', wrapSync: syncs.wrapSync });
    const watcher = await s.watch(P, await s.currentRevision());
    const events: string[] = [];
    const pump = (async () => {
      for await (const ev of watcher) {
        if (ev.type !== 'BOOKMARK') events.push(`${ev.type} ${ev.object.metadata?.['name']}`);
        if (events.length === 2) return;
      }
    })();
    const create = s.create(`${P}a`, { metadata: { name: 'a' } });
    await new Promise((r) => setImmediate(r));
    // Committed (this connection could read it) but not synced: nothing answers yet.
    assert.equal(syncs.started(), 1);
    const get = s.get(`${P}a`);
    const list = s.list(P);
    assert.equal(await settled(create), false, 'the writer was answered before its fsync');
    assert.equal(await settled(get), false, 'a read answered with an unsynced write');
    assert.equal(await settled(list), false, 'a list answered with an unsynced write');
    assert.deepEqual(events, [], 'a watcher saw an unsynced write');
    assert.equal(await s.currentRevision(), 0, 'currentRevision counts an unsynced write');
    // A second write committed while the first sync runs waits for the next sync, which covers both.
    const second = s.create(`${P}b`, { metadata: { name: 'b' } });
    await new Promise((r) => setImmediate(r));
    syncs.release();
    const created = await create;
    assert.equal(created.metadata?.['resourceVersion'], '1');
    assert.equal((await get).metadata?.['name'], 'a');
    assert.equal((await list).items.length, 1);
    assert.equal(await settled(second), false);
    syncs.release();
    await second;
    await pump;
    assert.deepEqual(events, ['ADDED a', 'ADDED b']);
    assert.equal(await s.currentRevision(), 2);
    await watcher.close?.();
  });

  test('fsync off the loop: concurrent writers share fsyncs', async () => {
    const s = await openStorage({ fsync: 'thread-pool' });
    await Promise.all(Array.from({ length: 200 }, (_, i) => s.create(`${P}k${i}`, { metadata: { name: `k${i}` } })));
    const { batches, syncs, writes } = s.commitStats;
    assert.equal(writes, 200);
    assert.ok(syncs >= 1 && syncs <= batches, `${syncs} fsyncs for ${batches} transactions`);
  });

  test('fsync off the loop: a failed fsync fails its writers and every later write', async () => {
    const syncs = heldSyncs();
    const s = await openStorage({ fsync: 'thread-pool', wrapSync: syncs.wrapSync });
    const create = s.create(`${P}a`, { metadata: { name: 'a' } });
    await new Promise((r) => setImmediate(r));
    syncs.fail(new Error('EIO'));
    await assert.rejects(create, (err: unknown) => isStorageError(err, 'Unavailable'));
    await assert.rejects(s.create(`${P}b`, { metadata: { name: 'b' } }), (err: unknown) => isStorageError(err, 'Unavailable'));
  });

  test("fsync 'commit' keeps SQLite's own fsync inside COMMIT (no syncs of the committer's)", async () => {
    const s = await openStorage({ fsync: 'commit' });
    await s.create(`${P}a`, { metadata: { name: 'a' } });
    assert.equal(s.commitStats.syncs, 0);
    assert.equal((await s.get(`${P}a`)).metadata?.['name'], 'a');
  });

  test('one failing write does not undo its neighbours in the same batch', async () => {
    const s = await openStorage();
    await s.create(`${P}taken`, { metadata: { name: 'taken' } });
    const results = await Promise.allSettled([
      s.create(`${P}x`, { metadata: { name: 'x' } }),
      s.create(`${P}taken`, { metadata: { name: 'taken' } }),
      s.create(`${P}y`, { metadata: { name: 'y' } }),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    const [x, , y] = results;
    assert.ok(x?.status === 'fulfilled' && y?.status === 'fulfilled');
    // No revision is burnt by the failed write.
    assert.equal(Number(y.value.metadata?.['resourceVersion']), Number(x.value.metadata?.['resourceVersion']) + 1);
    assert.equal((await s.list(P)).items.length, 3);
  });

  test('reopening keeps data, the revision counter and the compaction mark', async () => {
    const s1 = await openStorage();
    await s1.create(`${P}a`, { metadata: { name: 'a' } });
    const b = await s1.create(`${P}b`, { metadata: { name: 'b' } });
    await s1.delete(`${P}b`);
    const last = await s1.currentRevision();
    await s1.compact(last);
    await s1.close();
    const s2 = await openStorage();
    assert.equal(await s2.currentRevision(), last);
    assert.equal(await s2.compactedRevision(), last);
    assert.deepEqual((await s2.list(P)).items.map((o) => o.metadata?.['name']), ['a']);
    const c = await s2.create(`${P}c`, { metadata: { name: 'c' } });
    assert.ok(Number(c.metadata?.['resourceVersion']) > last, 'revisions are never reused, even after compaction');
    assert.ok(Number(b.metadata?.['resourceVersion']) < last);
  });

  test('a second process (or handle) cannot open the same database', async () => {
    await openStorage();
    await assert.rejects(openSqliteStorage({ dir }), (err) => isStorageError(err, 'Unavailable'));
  });

  test('compaction physically removes superseded rows and tombstones', async () => {
    const s = await openStorage({ compactionChunk: 3 });
    for (let i = 0; i < 5; i++) await s.create(`${P}k${i}`, { metadata: { name: `k${i}` } });
    for (let i = 0; i < 5; i++) await s.update(`${P}k${i}`, { metadata: { name: `k${i}` }, spec: 1 });
    await s.delete(`${P}k0`);
    const keep = await s.currentRevision();
    await s.update(`${P}k1`, { metadata: { name: 'k1' }, spec: 2 });
    await s.compact(keep);
    await s.close();
    // Live keys k1..k4 at `keep`, plus k1's newer row after it.
    assert.deepEqual(
      rows('SELECT name, id FROM kv ORDER BY id').map((r) => r['name']),
      [`${P}k1`, `${P}k2`, `${P}k3`, `${P}k4`, `${P}k1`],
    );
  });

  test('a watch catching up when history is compacted underneath ends Expired, with no gap', async () => {
    const s = await openStorage({ historyPageSize: 5 });
    const from = await s.currentRevision();
    for (let i = 0; i < 30; i++) await s.create(`${P}k${i}`, { metadata: { name: `k${i}` } });
    const w = await s.watch(P, from);
    const revisions: number[] = [];
    let ended: unknown;
    try {
      for await (const ev of w) {
        revisions.push(ev.revision);
        if (revisions.length === 3) await s.compact(await s.currentRevision());
      }
    } catch (err) {
      ended = err;
    }
    assert.ok(isStorageError(ended, 'Expired'), String(ended));
    // The first page was already read; everything delivered is contiguous from the start.
    assert.deepEqual(revisions, Array.from({ length: revisions.length }, (_, i) => from + 1 + i));
    assert.ok(revisions.length < 30);
  });

  test('watchers get live changes without reading history when starting at the head', async () => {
    const s = await openStorage();
    const w = await s.watch(P, await s.currentRevision());
    await s.create(`${P}a`, { metadata: { name: 'a' } });
    for await (const ev of w) {
      assert.equal(ev.type, 'ADDED');
      break;
    }
  });

  test('watch events of live writes are the written objects: a top level and metadata of their own per watcher, deeper values shared, equal to a decode', async () => {
    const s = await openStorage({ verifyWrittenObjects: true });
    const [w1, w2] = [await s.watch(P, 0), await s.watch(P, 0)];
    const created = await s.create(`${P}a`, { metadata: { name: 'a' }, spec: { list: [1, 2] }, status: { n: 1 } });
    const updated = await s.guaranteedUpdate(`${P}a`, (live) => ({ ...live, status: { n: 2 } }), undefined, created);
    const take = async (w: typeof w1) => {
      const out = [];
      for await (const ev of w) {
        out.push(ev);
        if (out.length === 2) break;
      }
      return out;
    };
    const [e1, e2] = [await take(w1), await take(w2)];
    for (const [i, want] of [created, updated].entries()) {
      assert.deepEqual(e1[i]!.object, want);
      assert.deepEqual(e1[i]!.object, JSON.parse(JSON.stringify(want)), 'as a decode of the stored bytes');
      assert.notEqual(e1[i]!.object, e2[i]!.object, 'each watcher its own top level');
      assert.notEqual(e1[i]!.object.metadata, e2[i]!.object.metadata, 'and metadata');
      assert.equal(e1[i]!.object['spec'], e2[i]!.object['spec'], 'deeper values are shared');
    }
    // Setting a field on one watcher's event (a reader's own copy of the top) reaches no other.
    e1[1]!.object.metadata!.resourceVersion = 'x';
    assert.equal(e2[1]!.object.metadata!.resourceVersion, updated.metadata?.resourceVersion);
  });

  test('with verifyWrittenObjects, a written object that is not what its bytes decode to fails the write and leaves nothing behind', async () => {
    const s = await openStorage({ verifyWrittenObjects: true });
    const a = await s.create(`${P}a`, { metadata: { name: 'a' }, spec: { x: 1 } });
    const rev = await s.currentRevision();
    // An own key holding undefined: JSON drops it, the written object keeps it.
    await assert.rejects(s.create(`${P}b`, { metadata: { name: 'b', labels: undefined } } as unknown as StoredObject), /written to .*b differs from a decode of its stored bytes at \.metadata\.labels/);
    await assert.rejects(s.guaranteedUpdate(`${P}a`, (live) => ({ ...live, spec: { x: 2, y: undefined } }), undefined, a), /at \.spec\.y/);
    assert.equal(await s.currentRevision(), rev, 'no revision taken');
    assert.deepEqual((await s.get(`${P}a`))['spec'], { x: 1 });
    await assert.rejects(s.get(`${P}b`), (e: unknown) => isStorageError(e) && e.code === 'KeyNotFound');
  });
});

