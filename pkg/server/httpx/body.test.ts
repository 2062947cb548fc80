import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from '../../apierrors/errors.ts';
import { jsonDepth, MAX_JSON_DEPTH, mediaType, parseJSON, parseYAML, requireObject } from './body.ts';

test('jsonDepth ignores brackets inside strings', () => {
  assert.equal(jsonDepth('{"a":[{"b":"{[{["}]}'), 3);
  assert.equal(jsonDepth('"\\"{"'), 0);
});

test('parseJSON: bad JSON and too-deep documents are 400', () => {
  assert.deepEqual(parseJSON('{"a":1}'), { a: 1 });
  assert.throws(() => parseJSON('{'), (e) => isStatusError(e, 'BadRequest'));
  assert.throws(() => parseJSON('['.repeat(MAX_JSON_DEPTH + 1)), (e) => isStatusError(e, 'BadRequest'));
});

test('parseYAML: JSON fast path, YAML, flow mappings, one document only', () => {
  assert.deepEqual(parseYAML('{"kind":"X","spec":{"a":1}}'), { kind: 'X', spec: { a: 1 } });
  assert.deepEqual(parseYAML('kind: X\nspec:\n  a: 1\n'), { kind: 'X', spec: { a: 1 } });
  assert.deepEqual(parseYAML('{kind: X, spec: {a: 1}}'), { kind: 'X', spec: { a: 1 } });
  assert.throws(() => parseYAML('a: 1\n---\nb: 2\n'), (e) => isStatusError(e, 'BadRequest'));
  assert.throws(() => parseYAML('a: [1\n'), (e) => isStatusError(e, 'BadRequest'));
});

test('mediaType and requireObject', () => {
  assert.equal(mediaType('Application/JSON; charset=utf-8'), 'application/json');
  assert.equal(mediaType(undefined), '');
  assert.throws(() => requireObject([]), (e) => isStatusError(e, 'BadRequest'));
  assert.throws(() => requireObject(null), (e) => isStatusError(e, 'BadRequest'));
});
