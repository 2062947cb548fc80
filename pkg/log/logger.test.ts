import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { newLogger } from './logger.ts';

/** A logger writing into `lines`, at `level`. */
function capture(level: 'info' | 'debug') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: newLogger({ level, stream }), lines };
}

const settle = () => new Promise((r) => setImmediate(r));

test('a level that is off does no work: its metadata is never read', async () => {
  const { logger, lines } = capture('info');
  let reads = 0;
  const meta = {
    get key() {
      reads++;
      return 'v';
    },
  };
  for (let i = 0; i < 100; i++) logger.debug('dropped', meta);
  logger.child({ component: 'c' }).debug('dropped too', meta);
  await settle();
  assert.equal(reads, 0);
  assert.deepEqual(lines, []);
});

test('levels that are on still log, from the logger and its children, with their fields', async () => {
  const { logger, lines } = capture('info');
  logger.info('hello', { a: 1 });
  logger.warn('careful');
  logger.error('broken', { b: 2 });
  logger.child({ component: 'c' }).info('from a child', { d: 4 });
  await settle();
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(parsed.map((p) => [p.level, p.message]), [['info', 'hello'], ['warn', 'careful'], ['error', 'broken'], ['info', 'from a child']]);
  assert.equal(parsed[0]?.a, 1);
  assert.equal(parsed[3]?.component, 'c');
  assert.equal(parsed[3]?.d, 4);
});

test('debug logs at level debug, and a level changed at run time is honoured', async () => {
  const { logger, lines } = capture('debug');
  logger.debug('shown', { x: 1 });
  (logger as unknown as { level: string }).level = 'info';
  logger.debug('hidden');
  await settle();
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { message: string }).message), ['shown']);
});
