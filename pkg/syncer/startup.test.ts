import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../apierrors/errors.ts';
import { silentLogger } from '../log/logger.ts';
import { FakeSyncTargets, syncTarget } from './fake-synctargets.test-helper.ts';
import { waitForSyncTarget } from './startup.ts';
import { UidMismatchError } from './synctarget-access.ts';
import type { FakeClock } from '../clock/fake.ts';
import { virtualClock } from './testing.ts';

const base = { name: 'edge-1', logger: silentLogger(), random: () => 0.5 };

test('waits (with growing pauses) until the SyncTarget exists', async () => {
  const fake = new FakeSyncTargets();
  const clock = virtualClock();
  clock.onSleep = (_ms, n) => {
    if (n === 3) fake.obj = syncTarget('edge-1', 'u1');
  };
  const st = await waitForSyncTarget({ ...base, syncTargets: fake, clock, signal: new AbortController().signal, expectedUid: 'u1' });
  assert.equal(st?.metadata.uid, 'u1');
  assert.deepEqual(clock.sleeps, [750, 1500, 3000]);
});

test('refuses a SyncTarget with another uid', async () => {
  const fake = new FakeSyncTargets(syncTarget('edge-1', 'other'));
  await assert.rejects(
    waitForSyncTarget({ ...base, syncTargets: fake, clock: virtualClock(), signal: new AbortController().signal, expectedUid: 'u1' }),
    (err: unknown) => err instanceof UidMismatchError && /deleted and recreated\?/.test(err.message),
  );
});

test('retries through 403 and transient errors; returns undefined when stopped', async () => {
  const fake = new FakeSyncTargets();
  fake.failGets = [new StatusError('Forbidden', 'no'), new StatusError('ServiceUnavailable', 'down')];
  const clock = virtualClock();
  const ac = new AbortController();
  clock.onSleep = (_ms, n) => {
    if (n === 4) ac.abort();
  };
  assert.equal(await waitForSyncTarget({ ...base, syncTargets: fake, clock, signal: ac.signal }), undefined);
  assert.equal(fake.gets, 4);
  assert.ok(clock.sleeps.every((ms) => ms <= 30_000));
});
