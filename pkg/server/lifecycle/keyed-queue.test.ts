import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedQueue } from './keyed-queue.ts';

test('tasks of one key run one at a time in order, a failure does not stop the next', async () => {
  const q = new KeyedQueue();
  const log: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const a = q.run('k', async () => {
    log.push('a start');
    await gate;
    log.push('a end');
  });
  const b = q.run('k', async () => {
    log.push('b');
    throw new Error('b failed');
  });
  const c = q.run('k', async () => void log.push('c'));
  const other = q.run('other', async () => void log.push('other'));
  await other;
  assert.deepEqual(log, ['a start', 'other'], 'another key is not held up');
  release();
  await a;
  await assert.rejects(b, /b failed/);
  await c;
  assert.deepEqual(log, ['a start', 'other', 'a end', 'b', 'c']);
});
