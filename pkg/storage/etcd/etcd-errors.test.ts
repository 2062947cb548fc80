import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StorageError } from '../errors.ts';
import { retryNeverSent } from './etcd-call.ts';
import { isCompactedError, toStorageError } from './etcd-errors.ts';

test('etcd failures map to the storage vocabulary', () => {
  const compacted = new Error('11 OUT_OF_RANGE: etcdserver: mvcc: required revision has been compacted');
  assert.ok(isCompactedError(compacted));
  assert.equal(toStorageError(compacted, '/k', 'list').code, 'Expired');
  assert.equal(toStorageError(new Error('etcdserver: mvcc: required revision is a future revision'), '/k', 'list').code, 'Unavailable');
  assert.equal(toStorageError(new Error('etcdserver: request is too large'), '/k', 'create').code, 'TooLarge');
  const down = toStorageError(new Error('14 UNAVAILABLE: No connection established'), '/k', 'get');
  assert.equal(down.code, 'Unavailable');
  assert.equal(down.transient, true);
  assert.equal(toStorageError(new Error('etcdserver: request timed out'), '/k', 'update').code, 'Unavailable');
  const own = new StorageError('Conflict', '/k');
  assert.equal(toStorageError(own, '/k', 'update'), own);
});

test('only requests that never reached etcd are retried', async () => {
  let calls = 0;
  const refused = () => {
    calls++;
    return Promise.reject(new Error('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED'));
  };
  await assert.rejects(retryNeverSent(refused), /ECONNREFUSED/);
  assert.equal(calls, 4);

  calls = 0;
  const timedOut = () => {
    calls++;
    return Promise.reject(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'));
  };
  await assert.rejects(retryNeverSent(timedOut), /DEADLINE/);
  assert.equal(calls, 1, 'a request that may have been applied is not repeated');

  calls = 0;
  const flaky = () => (++calls < 3 ? refused() : Promise.resolve('ok'));
  assert.equal(await retryNeverSent(flaky), 'ok');
});
