import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sleep } from './sleep.ts';

test('sleep resolves after the delay, or at once on abort, without rejecting', async () => {
  const t0 = Date.now();
  await sleep(20);
  assert.ok(Date.now() - t0 >= 15);
  const ac = new AbortController();
  const pending = sleep(60_000, ac.signal);
  ac.abort();
  await pending;
  const aborted = new AbortController();
  aborted.abort();
  await sleep(60_000, aborted.signal);
});
