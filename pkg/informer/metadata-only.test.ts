import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LAST_APPLIED_ANNOTATION, metadataOnly } from './informer.ts';

test('metadataOnly keeps labels, annotations and finalizers, drops the body, managedFields and kubectl\'s copy', () => {
  const secret = {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque', data: { password: 'c2VjcmV0' },
    metadata: {
      name: 's', namespace: 'web', resourceVersion: '3', labels: { a: 'b' }, finalizers: ['f'],
      annotations: { 'kcp.io/cluster': 'root:org', [LAST_APPLIED_ANNOTATION]: '{"data":{"password":"c2VjcmV0"}}' },
      managedFields: [{ manager: 'kubectl' }],
    },
  };
  assert.deepEqual(metadataOnly(secret), {
    apiVersion: 'v1', kind: 'Secret',
    metadata: { name: 's', namespace: 'web', resourceVersion: '3', labels: { a: 'b' }, finalizers: ['f'], annotations: { 'kcp.io/cluster': 'root:org' } },
  });
  assert.equal(secret.data.password, 'c2VjcmV0', 'the input is not changed');
  assert.ok(secret.metadata.annotations[LAST_APPLIED_ANNOTATION]);
});
