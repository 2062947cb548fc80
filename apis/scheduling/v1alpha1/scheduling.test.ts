import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocationResource, LocationSchema } from './location.ts';
import { PlacementResource, PlacementSchema } from './placement.ts';

const ST = { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets' };

test('a valid Placement and Location pass schema and validation', () => {
  const p = PlacementSchema.parse({
    metadata: { name: 'p' },
    spec: { locationResource: ST, locationSelectors: [{ matchLabels: { region: 'eu' } }], namespaceSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, locationWorkspace: 'root:org' },
  });
  assert.deepEqual(PlacementResource.validate!(p as unknown as Record<string, unknown>), []);
  const l = LocationSchema.parse({ metadata: { name: 'default' }, spec: { resource: ST, instanceSelector: {} } });
  assert.deepEqual(LocationResource.validate!(l as unknown as Record<string, unknown>), []);
});

test('bad selectors name the field', () => {
  const causes = PlacementResource.validate!({
    spec: {
      locationResource: ST,
      locationSelectors: [{}, { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }],
      namespaceSelector: { matchLabels: { 'bad key!': 'v' }, matchExpressions: [{ key: 'k', operator: 'In' }, { key: 'k', operator: 'Exists', values: ['x'] }] },
    },
  });
  assert.deepEqual(causes.map((c) => c.field), [
    'spec.locationSelectors[1].matchExpressions[0].operator',
    'spec.namespaceSelector.matchLabels',
    'spec.namespaceSelector.matchExpressions[0].values',
    'spec.namespaceSelector.matchExpressions[1].values',
  ]);
  assert.deepEqual(causes.map((c) => c.reason), ['FieldValueNotSupported', 'FieldValueInvalid', 'FieldValueRequired', 'FieldValueForbidden']);
});

test('only synctargets can be scheduled onto, and locationWorkspace must be a path', () => {
  const causes = LocationResource.validate!({ spec: { resource: { group: 'apps', version: 'v1', resource: 'deployments' } } });
  assert.deepEqual(causes.map((c) => c.field), ['spec.resource.group', 'spec.resource.version', 'spec.resource.resource']);
  assert.equal(PlacementSchema.safeParse({ spec: { locationResource: ST, locationWorkspace: 'org' } }).success, false);
  assert.equal(PlacementSchema.safeParse({ spec: { locationResource: ST, locationWorkspace: 'root:Org' } }).success, false);
});
