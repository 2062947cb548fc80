import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from '../../apierrors/errors.ts';
import { jsonDepth, MAX_JSON_DEPTH, mediaType, parseJSON, parseYAML, requireObject, valueDepth } from './body.ts';

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

test('parseYAML: block nesting (indentation, compact sequences) has the same limit as JSON', () => {
  const nested = (depth: number) => Array.from({ length: depth }, () => '- ').join('') + 'x\n';
  assert.ok(Array.isArray(parseYAML(nested(10))));
  assert.throws(() => parseYAML(nested(MAX_JSON_DEPTH + 1)), (e) => isStatusError(e, 'BadRequest') && /nests deeper/.test(e.message));
  let indented = '';
  for (let i = 0; i < MAX_JSON_DEPTH + 1; i++) indented += `${' '.repeat(i)}k:\n`;
  assert.throws(() => parseYAML(indented), (e) => isStatusError(e, 'BadRequest') && /nests deeper/.test(e.message));
});

test('valueDepth counts containers iteratively', () => {
  assert.equal(valueDepth({ a: [{ b: 1 }] }), 3);
  assert.equal(valueDepth('x'), 0);
});
