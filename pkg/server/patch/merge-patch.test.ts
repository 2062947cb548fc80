import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, createMergePatch, mergePatchChanges } from './merge-patch.ts';
import { deepEqual } from './json-value.ts';
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

describe('applyMergePatch copies on write', () => {
  test('the patched path is new, every other subtree is shared with the target', () => {
    const target = { metadata: { name: 'x', labels: { a: '1' } }, spec: { list: [1, 2] }, status: { conditions: [{ type: 'Ready' }], beat: 'old' } };
    const out = applyMergePatch(target, { status: { beat: 'new' } }) as typeof target;
    assert.equal(out.status.beat, 'new');
    assert.equal(target.status.beat, 'old');
    assert.notEqual(out, target);
    assert.notEqual(out.status, target.status);
    assert.equal(out.metadata, target.metadata);
    assert.equal(out.spec, target.spec);
    assert.equal(out.status.conditions, target.status.conditions);
  });

  test('values taken from the patch are copies, so the result never aliases the patch', () => {
    const patch = { spec: { list: [{ a: 1 }] } };
    const out = applyMergePatch({}, patch) as { spec: { list: Array<{ a: number }> } };
    assert.notEqual(out.spec.list, patch.spec.list);
    assert.notEqual(out.spec, patch.spec);
  });
});

describe('mergePatchChanges', () => {
  const cases: Array<[unknown, unknown, boolean]> = [
    [{ a: 'b' }, { a: 'b' }, false],
    [{ a: 'b' }, { a: 'c' }, true],
    [{ a: 'b' }, { b: null }, false],
    [{ a: 'b' }, { a: null }, true],
    [{ a: { b: 1 } }, { a: {} }, false],
    [{}, { a: {} }, true],
    [{}, { a: { b: null } }, true],
    [{ a: 1 }, { a: { b: null } }, true],
    [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, false],
    [{ a: [1, 2] }, { a: [2, 1] }, true],
    [{ a: { b: { c: 'x', d: 'y' } } }, { a: { b: { c: 'x' } } }, false],
    [{ status: { t: '2026-12-02T03:00:00Z' } }, { status: { t: '2026-12-02T03:00:00Z' } }, false],
    [{ status: { t: '2026-12-02T03:00:00Z' } }, { status: { t: '2026-12-02T03:00:01Z' } }, true],
  ];
  for (const [target, patch, want] of cases) {
    test(`${JSON.stringify(target)} + ${JSON.stringify(patch)}: ${want}`, () => {
      assert.equal(mergePatchChanges(target, patch), want);
    });
  }

  test('agrees with applying the patch and comparing, over random documents', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const keys = ['a', 'b', 'c'];
    const value = (depth: number, patch: boolean): unknown => {
      switch (rand(depth > 2 ? 4 : 6)) {
        case 0: return rand(2);
        case 1: return ['x', 'y'][rand(2)];
        case 2: return patch ? null : true;
        case 3: return [rand(2)];
        default: {
          const o: Record<string, unknown> = {};
          for (const k of keys) if (rand(2)) o[k] = value(depth + 1, patch);
          return o;
        }
      }
    };
    for (let i = 0; i < 5000; i++) {
      const target = value(0, false);
      const patch = value(0, true);
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) continue;
      const changed = !deepEqual(applyMergePatch(target, patch), target);
      assert.equal(mergePatchChanges(target, patch), changed, `${JSON.stringify(target)} + ${JSON.stringify(patch)}`);
    }
  });

  test('hostile nesting gives a typed error', () => {
    let deep: Record<string, unknown> = {};
    const patch = deep;
    for (let i = 0; i < 1000; i++) deep = (deep.a = {}) as Record<string, unknown>;
    let target: Record<string, unknown> = {};
    const top = target;
    for (let i = 0; i < 1000; i++) target = (target.a = {}) as Record<string, unknown>;
    assert.throws(() => mergePatchChanges(top, patch), PatchError);
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
