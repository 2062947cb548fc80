import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_RESOURCES } from '../../apis/index.ts';
import * as gvrs from './gvr.ts';

test('every client GVR is a served resource, with its group, version, kind and scope', () => {
  const exported = Object.entries(gvrs).filter(([name]) => name.endsWith('GVR'));
  assert.ok(exported.length >= 12);
  for (const [name, gvr] of exported) {
    const def = ALL_RESOURCES.find((d) => d.plural === (gvr as gvrs.GVR).resource && d.group === (gvr as gvrs.GVR).group);
    assert.ok(def, `${name} names a resource kplane serves`);
    assert.deepEqual(gvr, { group: def.group, version: def.version, resource: def.plural, kind: def.kind, namespaced: def.namespaced });
  }
  assert.deepEqual(gvrs.SecretGVR, { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true });
  assert.equal(gvrs.apiPath(gvrs.DeploymentGVR), '/apis/apps/v1');
  assert.equal(gvrs.apiPath(gvrs.NamespaceGVR), '/api/v1');
});
