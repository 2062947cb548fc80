import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { newLogger } from '../../log/logger.ts';
import { StatusError } from '../../apierrors/errors.ts';
import { parseRequestInfo } from '../request/requestinfo.ts';
import type { DeadlineContext } from './context.ts';
import { withPanicRecovery } from './recovery.ts';
import { requestTimeoutMs, withTimeout } from './timeout.ts';

const logger = newLogger({ format: 'json', level: 'error' });

describe('request deadline', () => {
  test('?timeout= shortens the deadline, never lengthens it past the server cap', () => {
    const u = (q: string) => new URL(`https://x/api/v1/configmaps${q}`);
    assert.equal(requestTimeoutMs(u(''), 60_000), 60_000);
    assert.equal(requestTimeoutMs(u('?timeout=5s'), 60_000), 5000);
    assert.equal(requestTimeoutMs(u('?timeout=10m'), 60_000), 60_000);
    assert.equal(requestTimeoutMs(u('?timeout=0'), 60_000), 60_000);
    assert.throws(() => requestTimeoutMs(u('?timeout=soon'), 60_000), (e) => e instanceof StatusError && e.code === 400);
  });
});

describe('timeout filter', () => {
  let server: Server;
  let port = 0;
  // What the abandoned handler saw: set once its signal aborted.
  const aborted: { reason?: unknown; lateWrite?: boolean } = {};
  let watchEnded!: () => void;

  before(async () => {
    const handler = async (c: DeadlineContext): Promise<void> => {
      if (c.info.isResourceRequest && c.info.verb === 'watch') {
        // A watch outlives the deadline: it ends only when the test says so.
        await new Promise<void>((r) => (watchEnded = r));
        c.res.end('watch done');
        return;
      }
      await new Promise<void>((resolve) => c.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted.reason = c.signal.reason;
      // The handler does not know it was abandoned and still answers: that must be dropped.
      try {
        c.res.setHeader('X-Late', '1');
        c.res.end('late');
      } catch {
        aborted.lateWrite = true;
      }
      c.res.write('late again');
    };
    const chain = withPanicRecovery(logger)(withTimeout({ maxMs: 60_000, logger })(handler));
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      void chain({ req, res, receivedAt: Date.now(), startedAt: process.hrtime.bigint(), url, info: parseRequestInfo(req.method ?? 'GET', url) });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ port, host: '127.0.0.1', path }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject).end();
    });

  test('a request past its deadline gets 504 Timeout and its work is aborted', { timeout: 30_000 }, async () => {
    const r = await get('/api/v1/namespaces/default/configmaps?timeout=50ms');
    assert.equal(r.status, 504);
    const status = JSON.parse(r.body) as { reason: string; code: number };
    assert.equal(status.reason, 'Timeout');
    assert.equal(status.code, 504);
    assert.ok(aborted.reason instanceof StatusError && aborted.reason.reason === 'Timeout', 'the handler saw the abort');
    assert.equal(aborted.lateWrite, true, 'the late answer was refused');
  });

  test('a watch is not cut by the request deadline', { timeout: 30_000 }, async () => {
    const watch = get('/api/v1/namespaces/default/configmaps?watch=true&timeout=1ms');
    // A plain request with a longer deadline times out first; the watch is still open after it.
    const r = await get('/api/v1/namespaces/default/configmaps?timeout=30ms');
    assert.equal(r.status, 504);
    watchEnded();
    assert.deepEqual(await watch, { status: 200, body: 'watch done' });
  });
});
