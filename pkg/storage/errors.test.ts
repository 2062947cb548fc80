import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStorageError, StorageError } from './errors.ts';

test('control-flow codes carry no stack trace; faults keep theirs; the global limit is restored', () => {
  const before = Error.stackTraceLimit;
  for (const code of ['KeyNotFound', 'KeyExists', 'Conflict'] as const) {
    const err = new StorageError(code, '/k');
    assert.equal(err.stack, `StorageError: ${code}: /k`, code);
    assert.ok(isStorageError(err, code));
  }
  const fault = new StorageError('Unavailable', '/k', 'disk gone');
  assert.match(fault.stack ?? '', /\n\s+at /);
  assert.equal(Error.stackTraceLimit, before);
  assert.match(new Error('x').stack ?? '', /\n\s+at /);
});
