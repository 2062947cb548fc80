import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { signJWT, signJWTOffThread, verifyJWT } from './jwt.ts';
import { ServiceAccountTokens } from './satoken.ts';
import { parseTokenFile, splitCSVLine, StaticTokenAuthenticator, TokenFileError } from './tokenfile.ts';
import { PerClientInflightLimiter } from '../filters/inflight.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('token file', () => {
  test('kube CSV format with quoted groups', () => {
    assert.deepEqual(splitCSVLine('t,alice,uid-1,"g1,g2"'), ['t', 'alice', 'uid-1', 'g1,g2']);
    const a = new StaticTokenAuthenticator(parseTokenFile('# comment\n\nt1,alice,uid-1,"g1,g2"\nt2,bob,\n'));
    assert.deepEqual(a.authenticateToken('t1'), { username: 'alice', uid: 'uid-1', groups: ['g1', 'g2', 'system:authenticated'] });
    assert.deepEqual(a.authenticateToken('t2'), { username: 'bob', groups: ['system:authenticated'] });
    assert.equal(a.authenticateToken('t3'), undefined);
  });
  test('errors name the line, never the token', () => {
    assert.throws(() => parseTokenFile('secret-token-xyz,alice'), (e: unknown) => e instanceof TokenFileError && !e.message.includes('secret') && e.message.includes(':1:'));
  });
});

describe('service-account tokens', () => {
  let now = 1_700_000_000_000;
  let live: string | undefined = 'uid-1';
  const tokens = new ServiceAccountTokens({ key: { privateKey, publicKey }, lookup: { uidOf: async () => live }, now: () => now, cacheTTLms: 0 });
  const ref = { cluster: 'root:a', namespace: 'default', name: 'syncer', uid: 'uid-1' };

  test('round trip names cluster, namespace, SA and uid', async () => {
    const { token } = await tokens.issue(ref, 3600);
    const u = await tokens.authenticateToken(token);
    assert.equal(u?.username, 'system:serviceaccount:default:syncer');
    assert.deepEqual(u?.extra?.['authentication.kcp.io/cluster-name'], ['root:a']);
  });
  test('a recreated (new uid) or deleted ServiceAccount revokes', async () => {
    const { token } = await tokens.issue(ref, 3600);
    live = 'uid-2';
    assert.equal(await tokens.authenticateToken(token), undefined);
    live = undefined;
    assert.equal(await tokens.authenticateToken(token), undefined);
    live = 'uid-1';
  });
  test('signed off the event loop, the token is the one signJWT makes (PKCS #1 v1.5 is deterministic)', async () => {
    const claims = { sub: 'x', exp: now / 1000 + 100 };
    assert.equal(await signJWTOffThread(claims, privateKey), signJWT(claims, privateKey));
    assert.equal(verifyJWT(await signJWTOffThread(claims, privateKey), publicKey, now / 1000).sub, 'x');
  });
  test('expiry, foreign keys, tampering and alg none are refused', async () => {
    const { token } = await tokens.issue(ref, 600);
    now += 601_000;
    assert.equal(await tokens.authenticateToken(token), undefined);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = signJWT({ exp: now / 1000 + 100 }, other.privateKey);
    assert.throws(() => verifyJWT(forged, publicKey, now / 1000));
    const [, p, s] = (await tokens.issue(ref, 600)).token.split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.${s}`;
    assert.equal(await tokens.authenticateToken(none), undefined);
  });
});

describe('inflight limiter', () => {
  test('per client, released slots are reusable, 429 with retry-after', () => {
    const l = new PerClientInflightLimiter({ limit: 2, retryAfterSeconds: 3 });
    const r1 = l.acquire('a');
    l.acquire('a');
    assert.throws(() => l.acquire('a'), (e: unknown) => (e as { code: number; details: { retryAfterSeconds: number } }).code === 429 && (e as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds === 3);
    l.acquire('b');
    r1();
    r1();
    assert.equal(l.inFlight('a'), 1);
    l.acquire('a');
  });
});
