import assert from 'node:assert/strict';
import type { RequestOptions } from 'node:https';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { renderKubeconfig } from '../bootstrap/admin.ts';
import { BearerTokenConfig } from './token-config.ts';
import { Transport } from './transport.ts';

const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const server = 'https://127.0.0.1:6443';

test('BearerTokenConfig applies what KubeConfig applies for the same server, CA and token', async () => {
  const kc = new KubeConfig();
  kc.loadFromString(renderKubeconfig({ server, caPem, token: 'tok', user: 'u', contexts: { base: '' }, currentContext: 'base' }));
  const want: RequestOptions = {};
  await kc.applyToHTTPSOptions(want);
  const got: RequestOptions = {};
  await new BearerTokenConfig({ server, caPem, token: 'tok' }).applyToHTTPSOptions(got);
  assert.deepEqual(got.ca, want.ca);
  assert.deepEqual(got.headers, want.headers);
  assert.equal(got.cert, want.cert);
  assert.equal(got.key, want.key);
  assert.equal(got.rejectUnauthorized, want.rejectUnauthorized);
  assert.equal(new BearerTokenConfig({ server, caPem, token: 'tok' }).getCurrentCluster().server, kc.getCurrentCluster()?.server);
});

test('a Transport over BearerTokenConfig addresses the server root', () => {
  const t = new Transport(new BearerTokenConfig({ server, caPem, token: 'tok' }), { userAgent: 'test' });
  assert.equal(t.baseURL.toString(), `${server}/`);
  t.close();
});

test('with a socketPath, a Transport speaks plain HTTP on that socket, with the same credentials and Host', async () => {
  const { createServer } = await import('node:http');
  const { randomBytes } = await import('node:crypto');
  const seen: { url?: string; method?: string; headers?: Record<string, unknown>; encrypted?: boolean }[] = [];
  const srv = createServer((req, res) => {
    seen.push({ url: req.url, method: req.method, headers: req.headers, encrypted: 'encrypted' in req.socket });
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ ok: true }));
  });
  const socketPath = `\0kplane-test-${randomBytes(6).toString('hex')}`;
  await new Promise<void>((resolve) => srv.listen(socketPath, resolve));
  // The server URL names a port nothing listens on: only the socket can answer.
  const t = new Transport(new BearerTokenConfig({ server: 'https://127.0.0.1:1/clusters/root', caPem, token: 'tok', socketPath }), { userAgent: 'test' });
  try {
    assert.deepEqual(await t.json({ method: 'GET', path: '/clusters/root/api/v1/namespaces', query: { limit: 5 } }), { ok: true });
    assert.deepEqual(await t.json({ method: 'POST', path: '/clusters/root/api/v1/namespaces', body: { a: 1 } }), { ok: true });
  } finally {
    t.close();
    await new Promise<void>((resolve) => srv.close(() => resolve()));
  }
  assert.equal(seen.length, 2);
  assert.equal(seen[0]!.url, '/clusters/root/api/v1/namespaces?limit=5');
  assert.equal(seen[0]!.headers!['authorization'], 'Bearer tok');
  assert.equal(seen[0]!.headers!['host'], '127.0.0.1:1');
  assert.equal(seen[0]!.encrypted, false);
  assert.equal(seen[1]!.method, 'POST');
  assert.equal(seen[1]!.headers!['content-type'], 'application/json');
});
