import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelValueErrors } from './validation.ts';
import { MAX_LABEL_VALUE, toLabelValue } from './value.ts';

test('valid values are kept as they are', () => {
  for (const v of ['', 'edge', 'edge-1.eu_west', 'a'.repeat(63)]) assert.equal(toLabelValue(v), v);
});

test('a cut at 63 that would end in "-", "." or "_" still yields a valid value', () => {
  for (const sep of ['-', '.', '_']) {
    const name = 'a'.repeat(52) + sep + 'b'.repeat(30);
    const v = toLabelValue(name);
    assert.deepEqual(labelValueErrors(v), [], v);
    assert.ok(v.length <= MAX_LABEL_VALUE);
    assert.match(v, /^a+-[0-9a-f]{10}$/, 'the separator at the cut is dropped, not kept before the hash');
  }
});

test('long names sharing a prefix stay distinct', () => {
  const a = toLabelValue('x'.repeat(100) + '1');
  const b = toLabelValue('x'.repeat(100) + '2');
  assert.notEqual(a, b);
  assert.deepEqual([labelValueErrors(a), labelValueErrors(b)], [[], []]);
});

test('invalid characters and edges: always valid, deterministic', () => {
  const inputs = ['root:org:team', '-leading', 'trailing.', '...', 'ü', ':::', 'a/b c', '_'.repeat(80), 'é'.repeat(70)];
  for (const s of inputs) {
    const v = toLabelValue(s);
    assert.deepEqual(labelValueErrors(v), [], `${s} → ${v}`);
    assert.equal(toLabelValue(s), v);
  }
});

test('property: any string of label-ish characters maps to a valid value', () => {
  const alphabet = 'ab-._:Z9/ ';
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < 2000; i++) {
    const len = Math.floor(rand() * 120);
    let s = '';
    for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
    assert.deepEqual(labelValueErrors(toLabelValue(s)), [], JSON.stringify(s));
  }
});
