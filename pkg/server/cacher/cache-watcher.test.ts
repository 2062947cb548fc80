import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStorageError } from '../../storage/errors.ts';
import type { WatchEvent } from '../../storage/interface.ts';
import { CacheWatcher } from './cache-watcher.ts';

const ev = (revision: number, size: number): WatchEvent => ({ type: 'MODIFIED', key: '/r/g/x/k', object: {}, revision, size });

test('a reader that falls behind by more than maxQueueBytes is ended with Expired', async () => {
  let closed = 0;
  const w = new CacheWatcher({ prefix: '/r/g/x/', fromRevision: 0, progressNotify: false, maxQueue: 1000, maxQueueBytes: 1000, onClose: () => closed++ });
  for (let r = 1; r <= 3; r++) w.offer(ev(r, 300));
  assert.equal(w.queuedBytes, 900);
  w.offer(ev(4, 300));
  assert.equal(closed, 1, 'ended as too slow');
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const e of w) seen.push(e.revision);
  }, (err) => isStorageError(err, 'Expired') && /1000 bytes/.test(err.message));
  assert.deepEqual(seen, [1, 2, 3], 'what was queued is delivered, then the error');
  assert.equal(w.queuedBytes, 0);
});

test('reading frees queued bytes', async () => {
  const w = new CacheWatcher({ prefix: '/r/g/x/', fromRevision: 0, progressNotify: false, maxQueue: 1000, maxQueueBytes: 1000, onClose: () => undefined });
  const it = w[Symbol.asyncIterator]();
  for (let r = 1; r <= 20; r++) {
    w.offer(ev(r, 600));
    assert.equal((await it.next()).value?.revision, r);
    assert.equal(w.queuedBytes, 0);
  }
  w.close();
});
