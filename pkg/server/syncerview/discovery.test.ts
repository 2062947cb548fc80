import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_RESOURCES } from '../../../apis/index.ts';
import { Discovery } from '../discovery.ts';
import { narrowDiscovery } from './discovery.ts';

const discovery = new Discovery(ALL_RESOURCES);
type Entry = { name?: string; resource?: string; verbs: string[]; subresources?: { subresource: string; verbs: string[] }[] };

test('legacy resource lists: view verbs only, status as the one subresource, create-only resources gone', () => {
  const core = narrowDiscovery(discovery.resourceList('', 'v1')!) as { resources: Entry[] };
  const cm = core.resources.find((r) => r.name === 'configmaps')!;
  assert.deepEqual(cm.verbs.sort(), ['get', 'list', 'patch', 'update', 'watch']);
  assert.ok(core.resources.some((r) => r.name === 'namespaces/status'));
  assert.ok(!core.resources.some((r) => r.name === 'serviceaccounts/token'));
  const apps = narrowDiscovery(discovery.resourceList('apps', 'v1')!) as { resources: Entry[] };
  assert.ok(apps.resources.some((r) => r.name === 'deployments/status'));
  assert.ok(!apps.resources.some((r) => r.name === 'deployments/scale'));
  for (const r of [...core.resources, ...apps.resources]) assert.ok(!r.verbs.includes('create') && !r.verbs.includes('delete'), r.name);
  const authz = discovery.resourceList('authorization.k8s.io', 'v1');
  if (authz) assert.deepEqual((narrowDiscovery(authz) as { resources: Entry[] }).resources, []);
});

test('aggregated discovery is narrowed the same way; group lists pass unchanged', () => {
  const agg = narrowDiscovery(discovery.aggregated(false, 'v2')) as { items: { metadata: { name: string }; versions: { resources: Entry[] }[] }[] };
  const deployments = agg.items.find((g) => g.metadata.name === 'apps')!.versions[0]!.resources.find((r) => r.resource === 'deployments')!;
  assert.deepEqual(deployments.verbs.sort(), ['get', 'list', 'patch', 'update', 'watch']);
  assert.deepEqual(deployments.subresources?.map((s) => s.subresource), ['status']);
  const groups = discovery.legacyGroupList();
  assert.deepEqual(narrowDiscovery(groups), groups);
});
