import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_RESOURCES } from '../../../apis/index.ts';
import { groupVersion } from '../../../apis/resource.ts';
import { definitionName, groupVersionPathKey } from './names.ts';
import { OpenAPIService, defaultOpenAPIService } from './service.ts';

type Doc = Record<string, any>; // eslint-style escape: parsed JSON documents are walked dynamically in assertions

const service = defaultOpenAPIService();
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function gvDoc(key: string): Doc {
  const served = service.v3GroupVersion(key);
  assert.ok(served, key);
  return JSON.parse(served.body) as Doc;
}

test('definition names are reverse-domain', () => {
  assert.equal(definitionName({ group: 'workload.kcp.io', version: 'v1alpha1', kind: 'SyncTarget' }), 'io.kcp.workload.v1alpha1.SyncTarget');
  assert.equal(definitionName({ group: '', version: 'v1', kind: 'ConfigMap' }), 'io.k8s.api.core.v1.ConfigMap');
  assert.equal(definitionName({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' }), 'io.k8s.api.rbac.v1.Role');
  assert.equal(definitionName({ group: 'apps', version: 'v1', kind: 'Deployment' }), 'io.k8s.api.apps.v1.Deployment');
});

test('v3 root lists every group-version with a hashed server-relative URL', () => {
  const root = JSON.parse(service.v3Root().body) as Doc;
  const keys = new Set(ALL_RESOURCES.map((d) => groupVersionPathKey(d)));
  assert.deepEqual(Object.keys(root.paths).sort(), [...keys].sort());
  for (const key of keys) {
    const served = service.v3GroupVersion(key);
    assert.equal(root.paths[key].serverRelativeURL, `/openapi/v3/${key}?hash=${served?.hash}`);
    assert.match(served?.hash ?? '', /^[0-9A-F]{128}$/);
  }
});

test('every kind has a patch operation kubectl accepts for server-side field validation', () => {
  for (const def of ALL_RESOURCES) {
    const doc = gvDoc(groupVersionPathKey(def));
    assert.equal(doc.openapi, '3.0.0');
    const schema = doc.components.schemas[definitionName(def)];
    assert.ok(schema, `${def.kind} schema`);
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: def.group, version: def.version, kind: def.kind }]);
    assert.equal(typeof schema.description, 'string');
    assert.deepEqual(schema.properties.metadata.allOf, [{ $ref: `#/components/schemas/${OBJECT_META}` }]);
    assert.ok(doc.components.schemas[OBJECT_META].properties.name.description);
    const prefix = def.group === '' ? '/api/v1' : `/apis/${groupVersion(def)}`;
    const collection = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.plural}` : `${prefix}/${def.plural}`;
    if (def.virtual) {
      const post = doc.paths[collection].post;
      assert.deepEqual(post['x-kubernetes-group-version-kind'], { group: def.group, version: def.version, kind: def.kind });
      assert.equal(doc.paths[`${collection}/{name}`], undefined);
      continue;
    }
    const item = doc.paths[`${collection}/{name}`];
    assert.ok(item, `${def.kind} item path`);
    for (const method of ['get', 'put', 'patch', 'delete']) {
      assert.deepEqual(item[method]['x-kubernetes-group-version-kind'], { group: def.group, version: def.version, kind: def.kind }, `${def.kind} ${method}`);
    }
    assert.deepEqual(Object.keys(doc.paths[collection]).filter((k) => k !== 'parameters').sort(), ['delete', 'get', 'post'].filter((m) => m !== 'delete' || def.verbs.includes('deletecollection')).sort());
    const patch = item.patch;
    assert.equal(patch['x-kubernetes-action'], 'patch');
    const params = patch.parameters.map((p: Doc) => p.name);
    for (const p of ['fieldValidation', 'dryRun', 'fieldManager', 'force']) assert.ok(params.includes(p), `${def.kind} patch ${p}`);
    const types = Object.keys(patch.requestBody.content);
    assert.ok(types.includes('application/json-patch+json') && types.includes('application/merge-patch+json') && types.includes('application/apply-patch+yaml'));
    assert.equal(types.includes('application/strategic-merge-patch+json'), def.strategicMergePatch === true, def.kind);
    if (def.subresources.status) assert.ok(doc.paths[`${collection}/{name}/status`].patch);
  }
});

test('SyncTarget schema carries descriptions for explain and no zod artefacts', () => {
  const doc = gvDoc('apis/workload.kcp.io/v1alpha1');
  const st = doc.components.schemas['io.kcp.workload.v1alpha1.SyncTarget'];
  assert.match(st.properties.spec.properties.cells.description, /^Cells is a set of labels/);
  assert.deepEqual(st.properties.spec.properties.cells.additionalProperties, { type: 'string' });
  assert.deepEqual(st.properties.apiVersion.type, 'string');
  assert.equal(st.properties.apiVersion.enum, undefined);
  assert.deepEqual(st.required, ['spec']);
  assert.deepEqual(st.properties.status.properties.phase.enum, ['Pending', 'Deploying', 'Ready', 'NotReady', 'Deleting']);
  const heartbeat = st.properties.status.properties.lastSyncerHeartbeatTime;
  assert.equal(heartbeat.format, 'date-time');
  assert.equal(heartbeat.pattern, undefined);
  const text = JSON.stringify(doc);
  assert.ok(!text.includes('#/definitions/'), 'refs point into components');
  assert.ok(!text.includes('"$schema"'));
  const list = doc.components.schemas['io.kcp.workload.v1alpha1.SyncTargetList'];
  assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: 'workload.kcp.io', version: 'v1alpha1', kind: 'SyncTargetList' }]);
});

test('preserve-unknown and byte fields are marked as Kubernetes does', () => {
  const apps = gvDoc('apis/apps/v1');
  const template = apps.components.schemas['io.k8s.api.apps.v1.Deployment'].properties.spec.properties.template;
  assert.equal(template['x-kubernetes-preserve-unknown-fields'], true);
  const core = gvDoc('api/v1');
  const data = core.components.schemas['io.k8s.api.core.v1.Secret'].properties.data;
  assert.deepEqual(data.additionalProperties, { type: 'string', format: 'byte' });
  assert.ok(core.paths['/api/v1/namespaces/{namespace}/configmaps/{name}']);
  assert.ok(core.paths['/api/v1/configmaps'].get, 'all-namespaces list');
  assert.ok(core.paths['/api/v1/namespaces/{name}']);
});

test('every $ref resolves inside its own document', () => {
  for (const key of service.groupVersionKeys()) {
    const doc = gvDoc(key);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? '');
    for (const ref of refs) assert.ok(doc.components.schemas[ref], `${key}: ${ref}`);
  }
});

test('output is deterministic and cached', () => {
  const fresh = new OpenAPIService(ALL_RESOURCES);
  assert.equal(fresh.v3Root().body, service.v3Root().body);
  assert.equal(fresh.v3Root(), fresh.v3Root());
  assert.equal(fresh.v3GroupVersion('/apis/workload.kcp.io/v1alpha1/'), fresh.v3GroupVersion('apis/workload.kcp.io/v1alpha1'));
  assert.equal(fresh.v3GroupVersion('apis/nope/v1'), undefined);
});

test('v2 swagger document', () => {
  const v2 = JSON.parse(service.v2().body) as Doc;
  assert.equal(v2.swagger, '2.0');
  assert.ok(v2.definitions['io.kcp.workload.v1alpha1.SyncTarget']);
  const text = JSON.stringify(v2);
  assert.ok(!text.includes('#/components/'));
  assert.ok(!text.includes('"nullable"'));
  const patch = v2.paths['/apis/workload.kcp.io/v1alpha1/synctargets/{name}'].patch;
  assert.equal(patch.parameters[0].in, 'body');
  assert.ok(!patch.consumes.includes('application/strategic-merge-patch+json'));
});
