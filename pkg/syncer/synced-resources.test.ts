import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessResources, type DiscoveryGet, parseResources } from './synced-resources.ts';

test('--resources parses resource[.group], dedups, and rejects malformed entries', () => {
  assert.deepEqual(parseResources('deployments.apps, configmaps,configmaps,,widgets.example.com'), [
    { group: 'apps', resource: 'deployments' },
    { group: '', resource: 'configmaps' },
    { group: 'example.com', resource: 'widgets' },
  ]);
  for (const bad of ['Deployments', 'deployments.', 'a b', 'x..y']) assert.throws(() => parseResources(bad), /is not a resource/, bad);
});

test('types are Accepted with the served versions, or Incompatible with the reason', async () => {
  const served: Record<string, unknown> = {
    '/api/v1': { resources: [{ name: 'configmaps' }, { name: 'secrets' }] },
    '/apis/apps': { versions: [{ version: 'v1' }, { version: 'v1beta1' }] },
    '/apis/apps/v1': { resources: [{ name: 'deployments' }, { name: 'deployments/status' }] },
    '/apis/apps/v1beta1': { resources: [] },
  };
  const get: DiscoveryGet = async (path) => served[path];
  const got = await assessResources(get, parseResources('deployments.apps,configmaps,services,widgets.example.com'));
  assert.deepEqual(got, [
    { group: 'apps', resource: 'deployments', versions: ['v1'], state: 'Accepted' },
    { resource: 'configmaps', versions: ['v1'], state: 'Accepted' },
    { resource: 'services', state: 'Incompatible', message: 'the physical cluster does not serve services' },
    { group: 'example.com', resource: 'widgets', state: 'Incompatible', message: 'the physical cluster does not serve API group example.com' },
  ]);
});

test('a discovery failure other than 404 is an error, not Incompatible', async () => {
  const get: DiscoveryGet = async () => {
    throw new Error('connection refused');
  };
  await assert.rejects(assessResources(get, parseResources('configmaps')), /connection refused/);
});
