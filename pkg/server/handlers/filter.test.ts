// Field selectors per served type: exactly the labels kube-apiserver 1.32 accepts for each,
// everything else 400 "field label not supported".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_RESOURCES, ConfigMapResource, DeploymentResource, EventResource, NamespaceResource, SecretResource } from '../../../apis/index.ts';
import { isStatusError } from '../../apierrors/errors.ts';
import type { KObject } from '../registry/object.ts';
import { buildFilter, supportedFieldLabels } from './filter.ts';

const obj = (o: Record<string, unknown>) => o as KObject;

test('each served type supports exactly kube\'s field labels', () => {
  const want: Record<string, string[]> = {
    namespaces: ['metadata.name', 'name', 'status.phase'],
    secrets: ['metadata.name', 'metadata.namespace', 'type'],
    configmaps: ['metadata.name', 'metadata.namespace'],
    deployments: ['metadata.name', 'metadata.namespace'],
    events: ['involvedObject.apiVersion', 'involvedObject.fieldPath', 'involvedObject.kind', 'involvedObject.name', 'involvedObject.namespace',
      'involvedObject.resourceVersion', 'involvedObject.uid', 'metadata.name', 'metadata.namespace', 'reason', 'reportingComponent', 'source', 'type'],
  };
  for (const def of ALL_RESOURCES) {
    const expected = want[def.plural];
    if (expected) assert.deepEqual([...supportedFieldLabels(def)].sort(), expected, def.plural);
  }
});

test('Namespace status.phase and Secret type select; absent fields select as ""', () => {
  const active = obj({ metadata: { name: 'a' }, status: { phase: 'Active' } });
  const terminating = obj({ metadata: { name: 't' }, status: { phase: 'Terminating' } });
  const f = buildFilter(NamespaceResource, null, 'status.phase=Active');
  assert.equal(f.matches(active), true);
  assert.equal(f.matches(terminating), false);
  assert.equal(buildFilter(NamespaceResource, null, 'status.phase!=Active').matches(terminating), true);
  assert.equal(buildFilter(NamespaceResource, null, 'name=t').matches(terminating), true);
  const tls = obj({ metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls' });
  assert.equal(buildFilter(SecretResource, null, 'type=kubernetes.io/tls').matches(tls), true);
  assert.equal(buildFilter(SecretResource, null, 'type==Opaque').matches(tls), false);
  assert.equal(buildFilter(SecretResource, null, 'type=').matches(obj({ metadata: { name: 'x' } })), true);
  const ev = obj({ metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, source: { component: 'kubelet' }, type: 'Warning', reason: 'BackOff' });
  assert.equal(buildFilter(EventResource, null, 'involvedObject.kind=Pod,source=kubelet,type=Warning,reason=BackOff').matches(ev), true);
  assert.equal(buildFilter(EventResource, null, 'involvedObject.namespace=').matches(ev), true);
});

test('unsupported labels are 400 "field label not supported", as kube', () => {
  const cases: [typeof ConfigMapResource, string][] = [
    [ConfigMapResource, 'data.x=1'],
    [SecretResource, 'status.phase=Active'],
    [NamespaceResource, 'metadata.namespace=x'],
    [DeploymentResource, 'spec.replicas=1'],
    [NamespaceResource, 'type=Opaque'],
  ];
  for (const [def, sel] of cases) {
    assert.throws(() => buildFilter(def, null, sel), (err: unknown) => {
      assert.ok(isStatusError(err, 'BadRequest'), sel);
      assert.equal(err.message, `field label not supported: ${sel.split('=')[0]}`);
      return true;
    });
  }
});
