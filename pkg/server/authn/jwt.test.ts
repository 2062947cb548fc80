import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { InvalidTokenError, jwtAlgorithmOf, signJWT, signJWTOffThread, verifyJWT } from './jwt.ts';
import { ensureServiceAccountKey, SA_KEY_FILE } from './sakey.ts';

const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const NOW = 1_700_000_000;
const claims = { sub: 'system:serviceaccount:default:syncer', exp: NOW + 600 };

const b64json = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const headerOf = (token: string): unknown => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
const refused = (fn: () => unknown): void => assert.throws(fn, InvalidTokenError);

describe('ES256 and RS256 tokens', () => {
  test('the key decides the algorithm; other keys are refused', () => {
    assert.equal(jwtAlgorithmOf(ec.privateKey), 'ES256');
    assert.equal(jwtAlgorithmOf(ec.publicKey), 'ES256');
    assert.equal(jwtAlgorithmOf(rsa.privateKey), 'RS256');
    assert.throws(() => jwtAlgorithmOf(generateKeyPairSync('ed25519').privateKey), /unsupported service-account key/);
    assert.throws(() => jwtAlgorithmOf(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey), /unsupported/);
  });

  test('ES256: round trip, r||s signature of 64 bytes, the same claims from the thread pool', async () => {
    const token = signJWT(claims, ec.privateKey);
    assert.deepEqual(headerOf(token), { alg: 'ES256', typ: 'JWT' });
    assert.equal(Buffer.from(token.split('.')[2]!, 'base64url').length, 64);
    assert.equal(verifyJWT(token, ec.publicKey, NOW).sub, claims.sub);
    // ECDSA signatures are randomised: compare what verifies, not the bytes.
    const offThread = await signJWTOffThread(claims, ec.privateKey, 'k1');
    assert.deepEqual(headerOf(offThread), { alg: 'ES256', kid: 'k1' });
    assert.equal(verifyJWT(offThread, ec.publicKey, NOW).sub, claims.sub);
  });

  test('RS256 tokens of an RSA key still verify', () => {
    const token = signJWT(claims, rsa.privateKey);
    assert.deepEqual(headerOf(token), { alg: 'RS256', typ: 'JWT' });
    assert.equal(verifyJWT(token, rsa.publicKey, NOW).sub, claims.sub);
  });

  test('no algorithm confusion: a token verifies only with the alg of the key checking it', () => {
    // The other algorithm's token, as signed.
    refused(() => verifyJWT(signJWT(claims, rsa.privateKey), ec.publicKey, NOW));
    refused(() => verifyJWT(signJWT(claims, ec.privateKey), rsa.publicKey, NOW));
    // A valid ES256 token whose header claims another algorithm.
    const [, p, s] = signJWT(claims, ec.privateKey).split('.') as [string, string, string];
    for (const alg of ['RS256', 'HS256', 'none', 'ES384']) refused(() => verifyJWT(`${b64json({ alg })}.${p}.${s}`, ec.publicKey, NOW));
    // An HMAC "signature" made with the public key as the secret (the classic confusion).
    refused(() => verifyJWT(`${b64json({ alg: 'HS256' })}.${p}.${s}`, ec.publicKey, NOW));
  });

  test('malformed ES256 signatures are an invalid token, never an exception of another kind', () => {
    const [h, p, s] = signJWT(claims, ec.privateKey).split('.') as [string, string, string];
    const sig = Buffer.from(s, 'base64url');
    for (const bad of [Buffer.alloc(0), sig.subarray(0, 63), Buffer.concat([sig, Buffer.from([0])]), Buffer.alloc(64), Buffer.alloc(64, 0xff)]) {
      refused(() => verifyJWT(`${h}.${p}.${bad.toString('base64url')}`, ec.publicKey, NOW));
    }
    // One bit flipped, and a signature by another P-256 key.
    const flipped = Buffer.from(sig);
    flipped[10]! ^= 1;
    refused(() => verifyJWT(`${h}.${p}.${flipped.toString('base64url')}`, ec.publicKey, NOW));
    refused(() => verifyJWT(signJWT(claims, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey), ec.publicKey, NOW));
  });
});

describe('sa.key', () => {
  const withDir = (fn: (dir: string) => void): void => {
    const dir = mkdtempSync(join(tmpdir(), 'kplane-sakey-'));
    try {
      fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('a new root dir gets an ECDSA P-256 key, kept across starts', () => {
    withDir((dir) => {
      const first = ensureServiceAccountKey(dir);
      assert.equal(jwtAlgorithmOf(first.privateKey), 'ES256');
      const again = ensureServiceAccountKey(dir);
      assert.equal(verifyJWT(signJWT(claims, first.privateKey), again.publicKey, NOW).sub, claims.sub);
    });
  });

  test("an earlier version's RSA key is kept, and its tokens stay RS256", () => {
    withDir((dir) => {
      writeFileSync(join(dir, SA_KEY_FILE), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      const key = ensureServiceAccountKey(dir);
      assert.equal(jwtAlgorithmOf(key.privateKey), 'RS256');
      assert.equal(verifyJWT(signJWT(claims, rsa.privateKey), key.publicKey, NOW).sub, claims.sub);
    });
  });

  test('a key no token can be signed with fails the start', () => {
    withDir((dir) => {
      writeFileSync(join(dir, SA_KEY_FILE), generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      assert.throws(() => ensureServiceAccountKey(dir), /unsupported service-account key/);
    });
  });
});
