import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { CoalescingStream } from './coalesce.ts';
import { lineWriterOf } from './lines.ts';
import { newLogger, silentLogger, type LogFormat, type LogLevel } from './logger.ts';

function capture(format: LogFormat, level: LogLevel = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: newLogger({ format, level, stream }), lines };
}

const settle = () => new Promise((r) => setImmediate(r));
const fields = { user: 'kplane-admin', impersonatedUser: 'alice', verb: 'patch', path: '/clusters/root/apis/x/"q"', code: 200, latencyMs: 1.25, auditID: 'a-b' };
const withoutTime = (format: LogFormat, line: string) => (format === 'json' ? line.replace(/"timestamp":"[^"]+"/, '"timestamp":"T"') : line.replace(/^\S+/, 'T'));

for (const format of ['json', 'text'] as const) {
  test(`the fast path writes the line winston writes (${format})`, async () => {
    const { logger, lines } = capture(format);
    const fast = lineWriterOf(logger);
    assert.ok(fast, 'a logger made by newLogger has one');
    logger.info('request', fields);
    fast('info', 'request', fields);
    logger.warn('empty');
    fast('warn', 'empty', {});
    await settle();
    assert.equal(lines.length, 4, lines.join('\n'));
    assert.equal(withoutTime(format, lines[1]!), withoutTime(format, lines[0]!));
    assert.equal(withoutTime(format, lines[3]!), withoutTime(format, lines[2]!));
    if (format === 'json') {
      const parsed = JSON.parse(lines[1]!) as Record<string, unknown>;
      assert.equal(parsed.level, 'info');
      assert.equal(parsed.message, 'request');
      assert.equal(parsed.path, fields.path);
      assert.ok(!Number.isNaN(Date.parse(String(parsed.timestamp))));
    }
  });
}

test('the fast path drops what the level drops, read on every line', async () => {
  const { logger, lines } = capture('json', 'warn');
  const fast = lineWriterOf(logger)!;
  fast('info', 'dropped', fields);
  (logger as unknown as { level: string }).level = 'info';
  fast('info', 'kept', fields);
  await settle();
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { message: string }).message), ['kept']);
});

test('children and other loggers have no fast path (their fields would be lost)', () => {
  const { logger } = capture('json');
  assert.equal(lineWriterOf(logger.child({ component: 'c' })), undefined);
  assert.equal(lineWriterOf(silentLogger()), undefined);
});

test('through the server\'s coalescing stream, fast and winston lines land in one write, in order', async () => {
  const writes: string[] = [];
  const target = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = newLogger({ stream: new CoalescingStream(target) });
  const fast = lineWriterOf(logger)!;
  logger.info('one');
  fast('info', 'two', { a: 1 });
  logger.info('three');
  await settle();
  await settle();
  assert.equal(writes.length, 1, writes.join('|'));
  assert.deepEqual(writes[0]!.trim().split('\n').map((l) => (JSON.parse(l) as { message: string }).message), ['one', 'two', 'three']);
});

test('a hostile path cannot forge a second line: newlines, quotes and control characters stay escaped inside one line', async () => {
  for (const format of ['json', 'text'] as const) {
    const { logger, lines } = capture(format);
    const forged = '/x\n{"level":"error","message":"forged"}\r\u0000"';
    lineWriterOf(logger)!('info', 'request', { user: 'u\nv', path: forged, code: 400 });
    await settle();
    assert.equal(lines.length, 1, `${format}: ${lines.join(' | ')}`);
    const json = format === 'json' ? lines[0]! : lines[0]!.slice(lines[0]!.indexOf('{'));
    const parsed = JSON.parse(json) as Record<string, unknown>;
    assert.equal(parsed.path, forged);
    assert.equal(parsed.user, 'u\nv');
  }
});
