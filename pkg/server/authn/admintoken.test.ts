import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ADMIN_USER, ensureAdminToken, hashToken } from '../../bootstrap/admin.ts';
import { AdminTokenAuthenticator } from './admintoken.ts';

test('the minted admin token is recognised; other tokens, JWT-shaped or not, are not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-admintoken-'));
  try {
    const { sha256, token } = ensureAdminToken(dir);
    assert.ok(token && !token.includes('.'), 'minted admin tokens carry no dot');
    const authn = new AdminTokenAuthenticator(sha256);
    assert.equal(authn.authenticateToken(token)?.username, ADMIN_USER);
    assert.equal(authn.authenticateToken(token + 'x'), undefined);
    assert.equal(authn.authenticateToken('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'), undefined);
    // A dotted token is refused before hashing, even if (absurdly) its hash were the admin's.
    const dotted = 'a.b.c';
    assert.equal(new AdminTokenAuthenticator(hashToken(dotted)).authenticateToken(dotted), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after the admin token first matched, it and only it still matches (compared without hashing)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-admintoken-'));
  try {
    const { sha256, token } = ensureAdminToken(dir);
    const authn = new AdminTokenAuthenticator(sha256);
    // Wrong tokens before the first match teach it nothing.
    assert.equal(authn.authenticateToken(token!.slice(1) + 'A'), undefined);
    assert.equal(authn.authenticateToken(token!)?.username, ADMIN_USER);
    for (let i = 0; i < 3; i++) assert.equal(authn.authenticateToken(token!)?.username, ADMIN_USER);
    // Same length, one character changed; a prefix; longer; empty; non-ASCII of the same length.
    const flipped = token!.slice(0, -1) + (token!.endsWith('A') ? 'B' : 'A');
    for (const bad of [flipped, token!.slice(0, -1), token! + 'A', '', 'é'.repeat(token!.length)]) {
      assert.equal(authn.authenticateToken(bad), undefined, JSON.stringify(bad));
    }
    assert.equal(authn.authenticateToken(token!)?.username, ADMIN_USER);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
