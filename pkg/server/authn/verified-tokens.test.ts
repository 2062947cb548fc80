import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { ServiceAccountTokens } from './satoken.ts';
import { VerifiedTokenCache } from './verified-tokens.ts';

test('an entry is served until its expiry or the period, whichever comes first', () => {
  let now = 1_000_000;
  const c = new VerifiedTokenCache<string>({ ttlMs: 10_000, now: () => now, rotateWhenIdle: false });
  c.set('token-a', 'a', now + 60_000);
  c.set('token-b', 'b', now + 3_000);
  assert.equal(c.get('token-a'), 'a');
  assert.equal(c.get('token-b'), 'b');
  assert.equal(c.get('token-c'), undefined);
  now += 3_000;
  assert.equal(c.get('token-b'), undefined, 'past the token expiry');
  assert.equal(c.get('token-a'), 'a');
  now += 7_000;
  assert.equal(c.get('token-a'), undefined, 'past the period');
});

test('generations rotate: memory is bounded, and an idle cache drops everything after two periods', () => {
  let now = 0;
  const c = new VerifiedTokenCache<number>({ ttlMs: 1_000, maxEntries: 3, now: () => now, rotateWhenIdle: false });
  for (let i = 0; i < 10; i++) c.set(`t${i}`, i, 1e12);
  assert.ok(c.size() <= 6, `held ${c.size()}`);
  assert.equal(c.get('t9'), 9);
  now += 1_000;
  c.get('x');
  now += 1_000;
  c.get('x');
  assert.equal(c.size(), 0);
});

test('service-account tokens: a remembered token still needs its live ServiceAccount, and expires on time', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let now = 1_700_000_000_000;
  let live: string | undefined = 'uid-1';
  let lookups = 0;
  const tokens = new ServiceAccountTokens({
    key: { privateKey, publicKey },
    lookup: { uidOf: async () => (lookups++, live) },
    now: () => now,
    cacheTTLms: 0,
  });
  const ref = { cluster: 'root:a', namespace: 'default', name: 'syncer', uid: 'uid-1' };
  const { token } = await tokens.issue(ref, 600);
  assert.equal((await tokens.authenticateToken(token))?.username, 'system:serviceaccount:default:syncer');
  assert.equal((await tokens.authenticateToken(token))?.username, 'system:serviceaccount:default:syncer');
  assert.equal(lookups, 2, 'the ServiceAccount is looked up on every request');
  live = undefined;
  assert.equal(await tokens.authenticateToken(token), undefined, 'deleted ServiceAccount');
  live = 'uid-2';
  assert.equal(await tokens.authenticateToken(token), undefined, 'recreated ServiceAccount');
  live = 'uid-1';
  now += 599_000;
  assert.ok(await tokens.authenticateToken(token));
  now += 1_000;
  assert.equal(await tokens.authenticateToken(token), undefined, 'expired while remembered');
  // A token that differs in one character is its own entry and fails verification.
  const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'AB' : 'AA');
  now -= 600_000;
  assert.equal(await tokens.authenticateToken(forged), undefined);
});
