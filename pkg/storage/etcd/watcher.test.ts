// EtcdWatcher against a fake etcd3 Watcher (an EventEmitter): event conversion, the
// fromRevision cut, bookmarks, the queue bound and how the watch ends.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { IEvent, IKeyValue, IWatchResponse, Watcher as Etcd3Watcher } from 'etcd3';
import { isStorageError, StorageError } from '../errors.ts';
import type { WatchEvent } from '../interface.ts';
import { KeySpace } from './key-space.ts';
import { EtcdWatcher, type EtcdWatcherOptions } from './watcher.ts';

class FakeEtcdWatcher extends EventEmitter {
  cancelled = 0;
  cancel(): Promise<void> {
    this.cancelled++;
    return Promise.resolve();
  }
}

const keys = new KeySpace('/p');
const K = '/registry/g/things/root/a';

function kv(value: unknown, mod: number, version: number): IKeyValue {
  return {
    key: keys.key(K),
    create_revision: '1',
    mod_revision: String(mod),
    version: String(version),
    value: Buffer.from(value === undefined ? '' : JSON.stringify(value)),
    lease: '0',
  };
}

function response(events: IEvent[], revision: number): IWatchResponse {
  return {
    header: { cluster_id: '1', member_id: '1', revision: String(revision), raft_term: '1' },
    watch_id: '1',
    created: false,
    canceled: false,
    compact_revision: '0',
    cancel_reason: '',
    fragment: false,
    events,
  };
}

function setup(opts: Partial<EtcdWatcherOptions> = {}) {
  const fake = new FakeEtcdWatcher();
  const closed: EtcdWatcher[] = [];
  const w = new EtcdWatcher(fake as unknown as Etcd3Watcher, {
    prefix: '/registry/g/things/root/',
    fromRevision: 5,
    keySpace: keys,
    progressNotify: true,
    maxQueued: 100,
    classifyCancel: async (after) => new StorageError('Expired', '', `compacted after ${after}`),
    onClose: (x) => closed.push(x),
    ...opts,
  });
  fake.emit('connected', response([], 5));
  return { fake, w, closed, it: w[Symbol.asyncIterator]() };
}

async function take(it: AsyncIterator<WatchEvent>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    assert.ok(!r.done);
    out.push(r.value);
  }
  return out;
}

test('converts put/put/delete into ADDED, MODIFIED, DELETED and drops revisions <= fromRevision', async () => {
  const { fake, w, it } = setup();
  await w.ready();
  fake.emit('data', response([{ type: 'Put', kv: kv({ spec: 0 }, 5, 1), prev_kv: undefined as unknown as IKeyValue }], 5));
  fake.emit(
    'data',
    response(
      [
        { type: 'Put', kv: kv({ spec: 1 }, 6, 2), prev_kv: kv({ spec: 0 }, 5, 1) },
        { type: 'Delete', kv: kv(undefined, 7, 0), prev_kv: kv({ spec: 1 }, 6, 2) },
        { type: 'Put', kv: kv({ spec: 2 }, 8, 1), prev_kv: undefined as unknown as IKeyValue },
      ],
      8,
    ),
  );
  const [modified, deleted, added] = await take(it, 3);
  assert.equal(modified?.type, 'MODIFIED');
  assert.equal(modified?.key, K);
  assert.deepEqual(modified?.object, { spec: 1, metadata: { resourceVersion: '6' } });
  assert.deepEqual(modified?.prevObject, { spec: 0, metadata: { resourceVersion: '5' } });
  assert.equal(deleted?.type, 'DELETED');
  assert.deepEqual(deleted?.object, { spec: 1, metadata: { resourceVersion: '7' } }, 'last state at the deletion revision');
  assert.deepEqual(deleted?.prevObject, { spec: 1, metadata: { resourceVersion: '6' } });
  assert.equal(added?.type, 'ADDED');
  assert.equal(added?.revision, 8);
  w.close();
});

test('progress notifications become bookmarks only when asked for, never below the last event', async () => {
  const withBookmarks = setup();
  withBookmarks.fake.emit('data', response([{ type: 'Put', kv: kv({}, 9, 1), prev_kv: undefined as unknown as IKeyValue }], 9));
  withBookmarks.fake.emit('data', response([], 12));
  const [, bookmark] = await take(withBookmarks.it, 2);
  assert.deepEqual(bookmark, { type: 'BOOKMARK', key: '', object: { metadata: { resourceVersion: '12' } }, revision: 12 });
  withBookmarks.w.close();

  const without = setup({ progressNotify: false });
  without.fake.emit('data', response([], 12));
  without.fake.emit('data', response([{ type: 'Put', kv: kv({}, 13, 1), prev_kv: undefined as unknown as IKeyValue }], 13));
  const [first] = await take(without.it, 1);
  assert.equal(first?.type, 'ADDED');
  without.w.close();
});

test('a lost stream ends the watch with Unavailable after the queued events', async () => {
  const { fake, it, closed, w } = setup();
  fake.emit('data', response([{ type: 'Put', kv: kv({}, 6, 1), prev_kv: undefined as unknown as IKeyValue }], 6));
  fake.emit('disconnected', new Error('stream reset'));
  assert.equal((await it.next()).value?.revision, 6);
  await assert.rejects(it.next(), (e) => isStorageError(e, 'Unavailable'));
  assert.deepEqual(closed, [w]);
  assert.equal(fake.cancelled, 1, 'etcd3 must not resubscribe on its own');
});

test('a watch cancelled by etcd ends with what the classifier says', async () => {
  const { fake, it } = setup();
  fake.emit('error', new Error('Watcher canceled: '));
  await assert.rejects(it.next(), (e) => isStorageError(e, 'Expired') && /after 5/.test(e.message));
});

test('a MODIFIED without its previous value (compacted) ends the watch with Expired', async () => {
  const { fake, it } = setup();
  fake.emit('data', response([{ type: 'Put', kv: kv({}, 6, 2), prev_kv: undefined as unknown as IKeyValue }], 6));
  await assert.rejects(it.next(), (e) => isStorageError(e, 'Expired'));
});

test('a consumer that falls behind by maxQueued events is ended with Expired, dropping the queue', async () => {
  const { fake, it } = setup({ maxQueued: 3 });
  const events = [6, 7, 8, 9].map((r) => ({ type: 'Put' as const, kv: kv({}, r, 1), prev_kv: undefined as unknown as IKeyValue }));
  fake.emit('data', response(events, 9));
  await assert.rejects(it.next(), (e) => isStorageError(e, 'Expired') && /too slow/.test(e.message));
});

test('ready() rejects when the watch fails before etcd acknowledged it; close ends iteration', async () => {
  const fake = new FakeEtcdWatcher();
  const w = new EtcdWatcher(fake as unknown as Etcd3Watcher, {
    prefix: '/x/',
    fromRevision: 0,
    keySpace: keys,
    progressNotify: false,
    maxQueued: 10,
    classifyCancel: async () => new StorageError('Unavailable', '', 'x'),
    onClose: () => undefined,
  });
  const ready = w.ready();
  fake.emit('disconnected', new Error('no route'));
  await assert.rejects(ready, (e) => isStorageError(e, 'Unavailable'));

  const ok = setup();
  const pending = ok.it.next();
  ok.w.close();
  ok.w.close();
  assert.equal((await pending).done, true);
  assert.equal(ok.fake.cancelled, 1);
});
