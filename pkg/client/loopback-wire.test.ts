// A Transport on the loopback socket (loopback-wire.ts) behaves as on node:https: replies,
// Status errors, watch lines, timeouts as transient errors, and aborts that end a watch quietly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { test } from 'node:test';
import { StatusError } from '../apierrors/errors.ts';
import { RequestAbortedError } from './errors.ts';
import { BearerTokenConfig } from './token-config.ts';
import { Transport } from './transport.ts';

const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

async function withLoopback(handler: (req: IncomingMessage, res: ServerResponse) => void, fn: (t: Transport) => Promise<void>): Promise<void> {
  const srv = createServer(handler);
  const socketPath = `\0kplane-test-${randomBytes(6).toString('hex')}`;
  await new Promise<void>((resolve) => srv.listen(socketPath, resolve));
  const t = new Transport(new BearerTokenConfig({ server: 'https://127.0.0.1:1', caPem, token: 'tok', socketPath }), { userAgent: 'test', timeoutMs: 300 });
  try {
    await fn(t);
  } finally {
    t.close();
    srv.closeAllConnections();
    await new Promise<void>((resolve) => srv.close(() => resolve()));
  }
}

test('a Status reply is a StatusError with its reason and code', async () => {
  await withLoopback((_req, res) => {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'synctargets "x" not found' }));
  }, async (t) => {
    await assert.rejects(t.json({ method: 'GET', path: '/clusters/root/x' }), (err: unknown) => err instanceof StatusError && err.code === 404 && err.reason === 'NotFound');
  });
});

test('a server that does not answer in time gives a transient ServiceUnavailable', async () => {
  await withLoopback(() => {
    // Never answers.
  }, async (t) => {
    await assert.rejects(t.json({ method: 'GET', path: '/clusters/root/slow' }), (err: unknown) => err instanceof StatusError && err.reason === 'ServiceUnavailable');
  });
});

test('a watch yields each line; aborting it ends the stream without an error', async () => {
  await withLoopback((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.write(JSON.stringify({ type: 'ADDED', object: { n: 1 } }) + '\n');
    res.write(JSON.stringify({ type: 'MODIFIED', object: { n: 2 } }) + '\n');
    // Then stays open, as a quiet watch does (longer than the request timeout: none applies).
  }, async (t) => {
    const ctl = new AbortController();
    const seen: unknown[] = [];
    for await (const ev of t.stream({ method: 'GET', path: '/clusters/root/w', query: { watch: 'true' }, signal: ctl.signal })) {
      seen.push(ev);
      if (seen.length === 2) setTimeout(() => ctl.abort(), 500);
    }
    assert.deepEqual(seen, [{ type: 'ADDED', object: { n: 1 } }, { type: 'MODIFIED', object: { n: 2 } }]);
  });
});

test('an aborted request rejects with RequestAbortedError', async () => {
  await withLoopback(() => {
    // Never answers.
  }, async (t) => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    await assert.rejects(t.json({ method: 'GET', path: '/clusters/root/slow', signal: ctl.signal, timeoutMs: 10_000 }), RequestAbortedError);
  });
});
