// The birth revision of a nested logical cluster is the latest along its path: a child of a
// recreated parent cannot be older than the parent, whatever its own annotation says.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RESOURCES } from '../../../apis/index.ts';
import { openSqliteStorage } from '../../storage/sqlite/index.ts';
import { Registry } from '../registry/registry.ts';
import { BIRTH_ANNOTATION, IncarnationGuard } from './incarnation.ts';

test('birthRevision is the maximum along the path; root and unknown clusters have none', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-incarnation-'));
  const storage = await openSqliteStorage({ dir });
  t.after(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const registry = new Registry(ALL_RESOURCES, storage);
  const ws = registry.store('tenancy.kcp.io', 'workspaces');
  const put = async (cluster: string, name: string, birth?: number) => {
    const obj = ws.prepareForCreate(cluster, '', {
      apiVersion: 'tenancy.kcp.io/v1alpha1',
      kind: 'Workspace',
      metadata: { name, ...(birth !== undefined ? { annotations: { [BIRTH_ANNOTATION]: String(birth) } } : {}) },
    });
    await ws.create(cluster, '', obj);
  };
  await put('root', 'org', 50);
  await put('root:org', 'team', 20); // older annotation than its parent's
  await put('root:org', 'legacy'); // none recorded
  const guard = new IncarnationGuard(registry);
  assert.equal(await guard.birthRevision('root'), 0);
  assert.equal(await guard.birthRevision('root:org'), 50);
  assert.equal(await guard.birthRevision('root:org:team'), 50);
  assert.equal(await guard.birthRevision('root:org:legacy'), 50);
  assert.equal(await guard.birthRevision('root:other'), 0);
});
