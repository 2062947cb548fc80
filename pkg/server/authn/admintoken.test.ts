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
