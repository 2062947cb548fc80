import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { CoalescingStream } from './coalesce.ts';

class Recorder extends Writable {
  readonly writes: string[] = [];
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void): void {
    this.writes.push(chunk.toString('utf8'));
    done();
  }
}

/** Two turns of the event loop: the flush's setImmediate has run. */
async function afterTheTurn(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
}

test('lines written in one turn reach the target in one write, in order', async () => {
  const target = new Recorder();
  const s = new CoalescingStream(target);
  s.write('a\n');
  s.write('b\n');
  s.write('c\n');
  assert.deepEqual(target.writes, [], 'written before the turn ended');
  await afterTheTurn();
  assert.deepEqual(target.writes, ['a\nb\nc\n']);
  s.write('d\n');
  await afterTheTurn();
  assert.deepEqual(target.writes, ['a\nb\nc\n', 'd\n']);
  s.end();
});

test('a line logged right before process.exit is not lost', () => {
  const code = `
    import { newLogger } from ${JSON.stringify(new URL('./logger.ts', import.meta.url).pathname)};
    const log = newLogger();
    log.error('last words', { why: 'fatal' });
    process.exit(3);
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 3);
  const line = JSON.parse(r.stderr.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  assert.equal(line.message, 'last words');
  assert.equal(line.why, 'fatal');
});

test('appended lines share the turn\'s one write with written ones, in order; after the end they go straight through', async () => {
  const target = new Recorder();
  const s = new CoalescingStream(target);
  s.write('a\n');
  s.append('b\n');
  s.write('c\n');
  s.append('d ü\n');
  await afterTheTurn();
  assert.deepEqual(target.writes, ['a\nb\nc\nd ü\n']);
  s.end();
  await new Promise((r) => setImmediate(r));
  s.append('late\n');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(target.writes, ['a\nb\nc\nd ü\n', 'late\n']);
});
