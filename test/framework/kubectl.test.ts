import assert from 'node:assert/strict';
import { test } from 'node:test';
import { killAfterMs } from './kubectl.ts';

test('a kubectl given --timeout is killed only 30 s after it, never before 60 s', () => {
  assert.equal(killAfterMs(['get', 'synctargets']), 60_000);
  assert.equal(killAfterMs(['wait', '--for=condition=Ready', 'synctarget/x', '--timeout=90s']), 120_000);
  assert.equal(killAfterMs(['delete', 'ws', 'a', '--timeout=2m']), 150_000);
  assert.equal(killAfterMs(['wait', '--timeout=10s']), 60_000);
  assert.equal(killAfterMs(['wait', '--timeout=45000ms']), 75_000);
});
