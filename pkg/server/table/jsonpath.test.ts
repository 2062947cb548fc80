import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateJSONPath, JSONPathError } from './jsonpath.ts';

const obj = {
  metadata: { name: 'a', labels: { region: 'eu', 'x.y/z': 'dotted' } },
  spec: { cluster: 'c1', list: [1, 2, 3] },
  status: {
    conditions: [
      { type: 'Valid', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ErrorHeartbeat' },
    ],
  },
};

test('fields, indexes, wildcards and quoted keys', () => {
  assert.deepEqual(evaluateJSONPath('.spec.cluster', obj), ['c1']);
  assert.deepEqual(evaluateJSONPath('{.spec.cluster}', obj), ['c1']);
  assert.deepEqual(evaluateJSONPath('$.spec.list[0]', obj), [1]);
  assert.deepEqual(evaluateJSONPath('.spec.list[-1]', obj), [3]);
  assert.deepEqual(evaluateJSONPath('.spec.list[*]', obj), [1, 2, 3]);
  assert.deepEqual(evaluateJSONPath('.status.conditions[*].type', obj), ['Valid', 'Ready']);
  assert.deepEqual(evaluateJSONPath(".metadata.labels['region']", obj), ['eu']);
  assert.deepEqual(evaluateJSONPath('.metadata.labels["x.y/z"]', obj), ['dotted']);
  assert.deepEqual(evaluateJSONPath('.spec.missing.deeper', obj), []);
  assert.deepEqual(evaluateJSONPath('.spec.list[7]', obj), []);
});

test('filters', () => {
  assert.deepEqual(evaluateJSONPath('.status.conditions[?(@.type=="Ready")].status', obj), ['False']);
  assert.deepEqual(evaluateJSONPath(".status.conditions[?(@.type == 'Valid')].status", obj), ['True']);
  assert.deepEqual(evaluateJSONPath('.status.conditions[?(@.type!="Ready")].type', obj), ['Valid']);
  assert.deepEqual(evaluateJSONPath('.status.conditions[?(@.reason)].type', obj), ['Ready']);
  assert.deepEqual(evaluateJSONPath('.status.conditions[?(@.type=="Nope")].status', obj), []);
});

test('rejects what it cannot evaluate', () => {
  assert.throws(() => evaluateJSONPath('.a[', obj), JSONPathError);
  assert.throws(() => evaluateJSONPath('a.b', obj), JSONPathError);
  assert.throws(() => evaluateJSONPath('.a[foo]', obj), JSONPathError);
});
