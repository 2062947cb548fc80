import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, createMergePatch } from './merge-patch.ts';
import { PatchError } from './errors.ts';

describe('applyMergePatch (RFC 7386)', () => {
  // The examples of RFC 7386 appendix A.
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) {
    test(`${JSON.stringify(target)} + ${JSON.stringify(patch)}`, () => {
      assert.deepEqual(applyMergePatch(target, patch), want);
    });
  }

  test('does not modify its inputs', () => {
    const target = { metadata: { labels: { a: '1' } } };
    const patch = { metadata: { labels: { b: '2' } } };
    applyMergePatch(target, patch);
    assert.deepEqual(target, { metadata: { labels: { a: '1' } } });
    assert.deepEqual(patch, { metadata: { labels: { b: '2' } } });
  });

  test('a patch that is not an object is a 400', () => {
    for (const p of [null, 5, 'x', [1], true]) {
      assert.throws(() => applyMergePatch({}, p), (e: unknown) => e instanceof PatchError && e.kind === 'BadRequest');
    }
  });

  test('__proto__ keys stay data and never reach a prototype', () => {
    const patch = JSON.parse('{"__proto__":{"polluted":true},"metadata":{"__proto__":{"x":1}}}') as unknown;
    const out = applyMergePatch({}, patch);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out).sort(), ['__proto__', 'metadata']);
    assert.equal(Object.getPrototypeOf(out.metadata), Object.prototype);
  });

  test('hostile nesting gives a typed error', () => {
    let deep: unknown = {};
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    assert.throws(() => applyMergePatch({}, deep), PatchError);
  });
});

describe('createMergePatch', () => {
  test('diff round-trips', () => {
    const original = { a: 1, b: { c: 2, d: [1, 2] }, gone: 'x' };
    const modified = { a: 1, b: { c: 3, d: [1, 2] }, added: { y: true } };
    const patch = createMergePatch(original, modified);
    assert.deepEqual(patch, { gone: null, b: { c: 3 }, added: { y: true } });
    assert.deepEqual(applyMergePatch(original, patch), modified);
  });

  test('arrays are sent whole, type changes replace', () => {
    assert.deepEqual(createMergePatch({ l: [1, 2] }, { l: [1, 3] }), { l: [1, 3] });
    assert.deepEqual(createMergePatch({ o: { a: 1 } }, { o: 'x' }), { o: 'x' });
    assert.deepEqual(createMergePatch({ a: 1 }, { a: 1 }), {});
  });
});
