import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeManagedFields, encodeManagedFields } from './managed-fields.ts';

const entry = (manager: string, fieldsV1: Record<string, unknown>) => ({ manager, operation: 'Update', apiVersion: 'v1', time: '2026-12-02T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1 });

test('a FieldsV1 tree seen before decodes to the same set, which later writes never modify', () => {
  const tree = Object.freeze({ 'f:spec': Object.freeze({ 'f:a': Object.freeze({}) }) });
  const [first] = decodeManagedFields([entry('m', tree)])!;
  const [again] = decodeManagedFields([entry('other', tree)])!;
  assert.equal(again!.set, first!.set, 'decoded once, by identity of the tree');
  assert.deepEqual(first!.set.paths(), [['f:spec', 'f:a']]);
  // Two entries of one manager merge into a new set: the shared one stays as it was.
  const extra = { 'f:spec': { 'f:b': {} } };
  const merged = decodeManagedFields([entry('m', tree), entry('m', extra)])!;
  assert.equal(merged.length, 1);
  assert.deepEqual(merged[0]!.set.paths().sort(), [['f:spec', 'f:a'], ['f:spec', 'f:b']]);
  assert.deepEqual(first!.set.paths(), [['f:spec', 'f:a']], 'the cached set is untouched');
  assert.deepEqual(decodeManagedFields([entry('m', tree)])![0]!.set.paths(), [['f:spec', 'f:a']]);
  // An untouched manager is encoded with the very tree it was decoded from.
  assert.equal(encodeManagedFields([again!])[0]!.fieldsV1, tree);
});

test('a malformed tree stays malformed when seen again', () => {
  const bad = { 'f:spec': 'not a tree' };
  assert.equal(decodeManagedFields([entry('m', bad)]), undefined);
  assert.equal(decodeManagedFields([entry('m', bad)]), undefined);
});
