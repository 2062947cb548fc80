import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import YAML from 'yaml';
import { ensureAdminToken, tokenMatchesHash, writeAdminKubeconfig } from './admin.ts';

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
