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
