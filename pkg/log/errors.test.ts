import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorFields } from './errors.ts';

test('errors are logged with their stack and the whole cause chain', () => {
  const root = new Error('SQLITE_IOERR: disk I/O error');
  const mid = new TypeError('write failed', { cause: root });
  const top = new Error('create /registry/x failed', { cause: mid });
  const f = errorFields(top);
  assert.match(f.err, /^Error: create \/registry\/x failed\n\s+at /);
  assert.equal(f.errorType, 'Error');
  assert.equal(errorFields(mid).errorType, 'TypeError');
  assert.equal(f.cause, 'TypeError: write failed <- Error: SQLITE_IOERR: disk I/O error');
  assert.deepEqual(errorFields('plain'), { err: 'plain' });
  assert.equal(errorFields(new Error('x', { cause: 'a string' })).cause, 'a string');
});
