import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncTargetResource } from '../../../apis/workload/v1alpha1/synctarget.ts';
import { NamespaceResource } from '../../../apis/core/v1/namespace.ts';
import { ConfigMapResource } from '../../../apis/core/v1/configmap.ts';
import { SecretResource } from '../../../apis/core/v1/secret.ts';
import { RoleBindingResource } from '../../../apis/rbac/v1/rolebinding.ts';
import { DeploymentResource } from '../../../apis/apps/v1/deployment.ts';
import { SelfSubjectAccessReviewResource } from '../../../apis/authorization/v1/selfsubjectaccessreview.ts';
import { admit } from './admit.ts';

const st = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'edge-1' }) => ({
  apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata, spec,
});

test('valid object is defaulted', () => {
  const r = admit(SyncTargetResource, st({ cluster: 'kind-1' }), { fieldValidation: 'Strict' });
  assert.ok(r.ok);
  assert.deepEqual(r.object.spec, { cluster: 'kind-1', unschedulable: false });
  assert.deepEqual(r.warnings, []);
});

test('Strict rejects unknown fields with the apiserver strict-decoding wording', () => {
  const r = admit(SyncTargetResource, st({ cluster: 'c', foo: 1, capacity: { cpu: '1' } }, { name: 'x', bar: true }), { fieldValidation: 'Strict' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.causes, [
    { reason: 'FieldValueInvalid', field: 'metadata.bar', message: 'unknown field "metadata.bar"' },
    { reason: 'FieldValueInvalid', field: 'spec.foo', message: 'unknown field "spec.foo"' },
  ]);
  assert.equal(r.badRequestMessage, 'SyncTarget in version "v1alpha1" cannot be handled as a SyncTarget: strict decoding error: unknown field "metadata.bar", unknown field "spec.foo"');
});

test('Strict apply uses structured-merge-diff wording', () => {
  const r = admit(SyncTargetResource, st({ cluster: 'c', foo: 1 }), { fieldValidation: 'Strict', apply: true });
  assert.ok(!r.ok);
  assert.deepEqual(r.causes, [{ reason: 'FieldValueInvalid', field: '.spec.foo', message: 'field not declared in schema' }]);
  assert.match(r.badRequestMessage ?? '', /\.spec\.foo: field not declared in schema$/);
});

test('Warn drops unknown fields and warns; Ignore drops silently', () => {
  const input = st({ cluster: 'c', foo: 1, supportedAPIExports: [{ export: 'e', nope: 2 }] });
  const warn = admit(SyncTargetResource, input, { fieldValidation: 'Warn' });
  assert.ok(warn.ok);
  assert.deepEqual(warn.warnings, ['unknown field "spec.foo"', 'unknown field "spec.supportedAPIExports[0].nope"']);
  assert.equal('foo' in (warn.object.spec as object), false);
  const ignore = admit(SyncTargetResource, input, { fieldValidation: 'Ignore' });
  assert.ok(ignore.ok);
  assert.deepEqual(ignore.warnings, []);
});

test('maps and preserve-unknown objects are not unknown fields', () => {
  const r = admit(SyncTargetResource, st({ cluster: 'c', cells: { zone: 'a' }, capacity: { 'nvidia.com/gpu': '2' } }), { fieldValidation: 'Strict' });
  assert.ok(r.ok);
  const d = admit(DeploymentResource, {
    metadata: { name: 'd', namespace: 'ns', managedFields: [{ manager: 'm', anything: 1 }] },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  }, { fieldValidation: 'Strict' });
  assert.ok(d.ok, JSON.stringify(d));
  assert.deepEqual((d.object.spec as { template: unknown }).template, { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
});

test('Secret stringData is declared, not unknown', () => {
  const r = admit(SecretResource, { metadata: { name: 's', namespace: 'n' }, stringData: { k: 'v' } }, { fieldValidation: 'Strict' });
  assert.ok(r.ok);
  assert.deepEqual(r.object.data, { k: 'dg==' });
});

test('zod issues become Kubernetes causes', () => {
  const r = admit(SyncTargetResource, st({ unschedulable: 'yes', capacity: { cpu: '-1', mem: 'lots' } }), { fieldValidation: 'Strict' });
  assert.ok(!r.ok);
  const byField = Object.fromEntries(r.causes.map((c) => [c.field, c]));
  assert.deepEqual(byField['spec.cluster'], { reason: 'FieldValueRequired', field: 'spec.cluster', message: 'Required value' });
  assert.deepEqual(byField['spec.unschedulable'], {
    reason: 'FieldValueTypeInvalid', field: 'spec.unschedulable',
    message: 'Invalid value: "string": spec.unschedulable in body must be of type boolean: "string"',
  });
  assert.deepEqual(byField['spec.capacity.cpu'], { reason: 'FieldValueInvalid', field: 'spec.capacity.cpu', message: 'Invalid value: "-1": must be greater than or equal to 0' });
  assert.equal(byField['spec.capacity.mem']?.reason, 'FieldValueInvalid');
  const phase = admit(SyncTargetResource, { ...st({ cluster: 'c' }), status: { phase: 'Happy' } });
  assert.ok(!phase.ok);
  assert.deepEqual(phase.causes, [{
    reason: 'FieldValueNotSupported', field: 'status.phase',
    message: 'Unsupported value: "Happy": supported values: "Pending", "Deploying", "Ready", "NotReady", "Deleting"',
  }]);
  const empty = admit(SyncTargetResource, st({ cluster: '' }));
  assert.ok(!empty.ok);
  assert.deepEqual(empty.causes, [{ reason: 'FieldValueRequired', field: 'spec.cluster', message: 'Required value' }]);
});

test('metadata.name is validated per resource', () => {
  const bad = admit(SyncTargetResource, st({ cluster: 'c' }, { name: 'Bad_Name' }));
  assert.ok(!bad.ok);
  assert.equal(bad.causes[0]?.field, 'metadata.name');
  assert.match(bad.causes[0]?.message ?? '', /^Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  assert.ok(admit(SyncTargetResource, st({ cluster: 'c' }, { name: 'a.b' })).ok);
  assert.ok(!admit(NamespaceResource, { metadata: { name: 'a.b' } }).ok, 'namespace names are labels');
  assert.ok(admit(SyncTargetResource, st({ cluster: 'c' }, { generateName: 'edge-' })).ok);
  const none = admit(SyncTargetResource, st({ cluster: 'c' }, {}));
  assert.ok(!none.ok);
  assert.deepEqual(none.causes, [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
  assert.ok(admit(SelfSubjectAccessReviewResource, { spec: {} }).ok, 'virtual objects need no name');
});

test('namespace scope and labels are checked', () => {
  const noNs = admit(ConfigMapResource, { metadata: { name: 'c' } });
  assert.ok(!noNs.ok);
  assert.deepEqual(noNs.causes.map((c) => c.field), ['metadata.namespace']);
  const nsOnCluster = admit(SyncTargetResource, st({ cluster: 'c' }, { name: 'x', namespace: 'default' }));
  assert.ok(!nsOnCluster.ok);
  const labels = admit(SyncTargetResource, st({ cluster: 'c' }, { name: 'x', labels: { 'bad key': 'v', ok: '-bad' } }));
  assert.ok(!labels.ok);
  assert.equal(labels.causes.length, 2);
});

test('def.validate runs with the old object', () => {
  const rb = { metadata: { name: 'rb', namespace: 'n' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'a' } };
  const old = admit(RoleBindingResource, rb);
  assert.ok(old.ok);
  const changed = admit(RoleBindingResource, { ...rb, roleRef: { ...rb.roleRef, name: 'b' } }, { old: old.object });
  assert.ok(!changed.ok);
  assert.deepEqual(changed.causes.map((c) => c.field), ['roleRef']);
});
