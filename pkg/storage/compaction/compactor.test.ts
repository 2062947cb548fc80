import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RevisionCompactor, startCompactor, type CompactableStorage } from './compactor.ts';

class FakeStorage implements CompactableStorage {
  revision = 0;
  compacted = 0;
  calls: number[] = [];
  async currentRevision(): Promise<number> {
    return this.revision;
  }
  async compactedRevision(): Promise<number> {
    return this.compacted;
  }
  async compact(revision: number): Promise<void> {
    this.calls.push(revision);
    this.compacted = Math.max(this.compacted, revision);
  }
}

describe('RevisionCompactor', () => {
  test('compacts to the newest revision seen at least retainSeconds ago', async () => {
    const storage = new FakeStorage();
    let now = 0;
    const c = new RevisionCompactor(storage, { retainSeconds: 300, now: () => now });
    const seen: Array<number | undefined> = [];
    for (let minute = 0; minute <= 7; minute++) {
      now = minute * 60_000;
      storage.revision = 100 * (minute + 1);
      seen.push(await c.tick());
    }
    // Minute 5 sees minute 0 (rev 100) as 300 s old; minute 7 sees minute 2 (rev 300).
    assert.deepEqual(seen, [undefined, undefined, undefined, undefined, undefined, 100, 200, 300]);
    assert.deepEqual(storage.calls, [100, 200, 300]);
  });

  test('does nothing when the revision did not move', async () => {
    const storage = new FakeStorage();
    storage.revision = 5;
    let now = 0;
    const c = new RevisionCompactor(storage, { retainSeconds: 10, now: () => now });
    await c.tick();
    now = 20_000;
    assert.equal(await c.tick(), 5);
    now = 40_000;
    assert.equal(await c.tick(), undefined);
    assert.deepEqual(storage.calls, [5]);
  });

  test('never compacts history younger than the window after a restart', async () => {
    const storage = new FakeStorage();
    storage.revision = 1000;
    const c = new RevisionCompactor(storage, { retainSeconds: 300, now: () => 1_000_000 });
    assert.equal(await c.tick(), undefined);
    assert.deepEqual(storage.calls, []);
  });
});

describe('startCompactor', () => {
  test('runs on its node-cron schedule until stopped', async () => {
    const storage = new FakeStorage();
    storage.revision = 42;
    const stop = startCompactor(storage, { retainSeconds: 0, schedule: '* * * * * *' });
    try {
      const deadline = Date.now() + 30_000;
      while (storage.calls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(storage.calls.slice(0, 1), [42]);
    } finally {
      await stop();
      await stop();
    }
    const after = storage.calls.length;
    storage.revision = 99;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(storage.calls.length, after, 'no compaction after stop');
  });
});
