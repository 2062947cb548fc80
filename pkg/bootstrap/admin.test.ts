import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import YAML from 'yaml';
import { ensureAdminToken, hashToken, tokenMatchesHash, writeAdminKubeconfig } from './admin.ts';

test('admin token is minted once, kept hashed, and reused via the kubeconfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-admin-'));
  const first = ensureAdminToken(dir);
  assert.ok(first.token);
  const store = readFileSync(join(dir, '.admin-token-store'), 'utf8');
  assert.ok(!store.includes(first.token), 'plaintext token is not stored');
  writeAdminKubeconfig(dir, 'https://127.0.0.1:6443', 'CA', first.token);
  const second = ensureAdminToken(dir);
  assert.equal(second.token, first.token);
  assert.ok(tokenMatchesHash(first.token, second.sha256));
  assert.ok(!tokenMatchesHash('nope', second.sha256));
  const kc = YAML.parse(readFileSync(join(dir, 'admin.kubeconfig'), 'utf8'));
  assert.equal(kc['current-context'], 'root');
  assert.equal(kc.clusters.find((c: { name: string }) => c.name === 'root').cluster.server, 'https://127.0.0.1:6443/clusters/root');
  assert.equal(kc.clusters.find((c: { name: string }) => c.name === 'base').cluster.server, 'https://127.0.0.1:6443');
});

test('hashToken is hex SHA-256, as stores written by earlier versions hold it', () => {
  // The FIPS 180-2 example: a stored hash from any version must keep matching its token.
  const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  assert.equal(hashToken('abc'), abc);
  assert.ok(tokenMatchesHash('abc', abc));
  assert.ok(!tokenMatchesHash('abd', abc));
  assert.ok(!tokenMatchesHash('abc', abc.slice(0, 62)), 'a truncated digest never matches');
});
