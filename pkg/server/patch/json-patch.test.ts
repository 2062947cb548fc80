import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.ts';
import { PatchError } from './errors.ts';
import type { PatchErrorKind } from './errors.ts';

function fails(fn: () => unknown, kind: PatchErrorKind, message?: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PatchError, String(e));
    assert.equal(e.kind, kind);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

describe('applyJsonPatch (RFC 6902)', () => {
  test('the heartbeat patch of the syncer', () => {
    const st = { metadata: { uid: 'u1', name: 'a' }, status: { lastSyncerHeartbeatTime: 'old' } };
    const out = applyJsonPatch(st, [
      { op: 'test', path: '/metadata/uid', value: 'u1' },
      { op: 'replace', path: '/status/lastSyncerHeartbeatTime', value: 'new' },
    ]);
    assert.deepEqual(out, { metadata: { uid: 'u1', name: 'a' }, status: { lastSyncerHeartbeatTime: 'new' } });
    assert.equal(st.status.lastSyncerHeartbeatTime, 'old');
  });

  test('a failed test is 422 Invalid with the json-patch text', () => {
    fails(
      () => applyJsonPatch({ metadata: { uid: 'u2' } }, [{ op: 'test', path: '/metadata/uid', value: 'u1' }]),
      'Invalid',
      'testing value /metadata/uid failed: test failed',
    );
  });

  test('add to objects and arrays, with - and negative indices', () => {
    const doc = { a: [1, 2, 3], o: {} };
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/a/-', value: 4 }]), { a: [1, 2, 3, 4], o: {} });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/a/0', value: 0 }]), { a: [0, 1, 2, 3], o: {} });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/a/3', value: 9 }]), { a: [1, 2, 3, 9], o: {} });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/a/-1', value: 9 }]), { a: [1, 2, 9, 3], o: {} });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/o/k', value: { x: 1 } }]), { a: [1, 2, 3], o: { k: { x: 1 } } });
    fails(() => applyJsonPatch(doc, [{ op: 'add', path: '/a/5', value: 1 }]), 'Invalid', /Unable to access invalid index: 5/);
    fails(() => applyJsonPatch(doc, [{ op: 'add', path: '/a/x', value: 1 }]), 'Invalid');
  });

  test('pointer escaping ~0 and ~1', () => {
    const doc = { metadata: { labels: { 'example.com/x': 'a', 'm~n': 'b' } } };
    const out = applyJsonPatch(doc, [
      { op: 'replace', path: '/metadata/labels/example.com~1x', value: 'c' },
      { op: 'remove', path: '/metadata/labels/m~0n' },
    ]);
    assert.deepEqual(out, { metadata: { labels: { 'example.com/x': 'c' } } });
  });

  test('missing paths are 422 Invalid', () => {
    fails(
      () => applyJsonPatch({}, [{ op: 'replace', path: '/spec/x', value: 1 }]),
      'Invalid',
      'replace operation does not apply: doc is missing path: /spec/x: missing value',
    );
    fails(
      () => applyJsonPatch({ spec: {} }, [{ op: 'replace', path: '/spec/x', value: 1 }]),
      'Invalid',
      'replace operation does not apply: doc is missing key: /spec/x: missing value',
    );
    fails(
      () => applyJsonPatch({}, [{ op: 'add', path: '/spec/x', value: 1 }]),
      'Invalid',
      'add operation does not apply: doc is missing path: "/spec/x": missing value',
    );
    fails(
      () => applyJsonPatch({ spec: {} }, [{ op: 'remove', path: '/spec/x' }]),
      'Invalid',
      "error in remove for path: '/spec/x': Unable to remove nonexistent key: x: missing value",
    );
    fails(() => applyJsonPatch({}, [{ op: 'test', path: '/a/b', value: 1 }]), 'Invalid', /is missing path/);
    fails(() => applyJsonPatch({}, [{ op: 'add', value: 1 }]), 'Invalid', 'add operation failed to decode path: missing value');
    fails(() => applyJsonPatch({}, [{ op: 'add', path: 'no-slash', value: 1 }]), 'Invalid');
  });

  test('move and copy', () => {
    const doc = { a: { x: 1 }, b: [1, 2] };
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'move', from: '/a/x', path: '/c' }]), { a: {}, b: [1, 2], c: 1 });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'move', from: '/b/0', path: '/b/-' }]), { a: { x: 1 }, b: [2, 1] });
    const copied = applyJsonPatch(doc, [{ op: 'copy', from: '/a', path: '/d' }]) as { a: object; d: object };
    assert.deepEqual(copied.d, { x: 1 });
    assert.notEqual(copied.a, copied.d);
    fails(() => applyJsonPatch(doc, [{ op: 'move', from: '/nope/x', path: '/c' }]), 'Invalid', /missing from path/);
    fails(() => applyJsonPatch(doc, [{ op: 'copy', from: '/a', path: '/no/where' }]), 'Invalid', /missing destination path/);
  });

  test('test semantics: deep equality, absent equals null, whole document', () => {
    applyJsonPatch({ a: { b: [1, { c: 2 }] } }, [{ op: 'test', path: '/a', value: { b: [1, { c: 2 }] } }]);
    applyJsonPatch({ a: {} }, [{ op: 'test', path: '/a/missing', value: null }]);
    applyJsonPatch({ a: 1 }, [{ op: 'test', path: '', value: { a: 1 } }]);
    fails(() => applyJsonPatch({ a: [1, 2] }, [{ op: 'test', path: '/a', value: [2, 1] }]), 'Invalid');
  });

  test('replace and add at the root', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), { b: 2 });
  });

  test('patch shape errors are 400, too many operations 413, unknown ops 422', () => {
    fails(() => applyJsonPatch({}, { op: 'add' }), 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    fails(() => applyJsonPatch({}, [1]), 'BadRequest');
    fails(() => applyJsonPatch({}, [{ op: 'frobnicate', path: '/a' }]), 'Invalid', 'Unexpected kind: frobnicate');
    const many = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '', value: {} }));
    fails(() => applyJsonPatch({}, many), 'RequestEntityTooLarge');
  });

  test('copy bombs are bounded', () => {
    const ops: unknown[] = [{ op: 'add', path: '/a', value: [1, 2] }];
    for (let i = 0; i < 40; i++) ops.push({ op: 'copy', from: '/a', path: '/a/-' });
    fails(() => applyJsonPatch({}, ops), 'Invalid', /accumulated size/);
  });

  test('copies are bounded by bytes, not just nodes: a large string copied a few times is refused', () => {
    const big = 'x'.repeat(400 * 1024);
    const ops: unknown[] = [{ op: 'add', path: '/a', value: big }];
    for (let i = 0; i < 3; i++) ops.push({ op: 'copy', from: '/a', path: `/c${i}` });
    assert.equal(Object.keys(applyJsonPatch({}, ops) as object).length, 4, 'three copies of 400 KiB fit');
    ops.push({ op: 'copy', from: '/a', path: '/c3' });
    fails(() => applyJsonPatch({}, ops), 'Invalid', /accumulated size/);
  });

  test('__proto__ keys are data, never prototypes', () => {
    const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as object;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ['__proto__']);
    fails(() => applyJsonPatch({}, [{ op: 'test', path: '/constructor', value: 1 }]), 'Invalid');
    fails(() => applyJsonPatch({}, [{ op: 'remove', path: '/toString' }]), 'Invalid');
  });

  test('random operations only ever throw PatchError', () => {
    const paths = ['', '/', '/a', '/a/0', '/a/-', '/a/b', '/__proto__', '/a/~1', '/-1', 'x', '/a/99999999999999999'];
    const ops = ['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'];
    const values: unknown[] = [null, 1, 'x', [], {}, { b: [1] }];
    let seed = 3;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const patch = Array.from({ length: 1 + rnd(4) }, () => ({
        op: ops[rnd(ops.length)],
        path: paths[rnd(paths.length)],
        from: paths[rnd(paths.length)],
        value: values[rnd(values.length)],
      }));
      try {
        applyJsonPatch({ a: [1, { b: 2 }] }, patch);
      } catch (e) {
        assert.ok(e instanceof PatchError, `${JSON.stringify(patch)}: ${String(e)}`);
      }
    }
  });
});

describe('copy-on-write', () => {
  /** Deep-frozen: any write into the input throws (ES modules are strict). */
  const frozen = <T>(v: T): T => {
    if (typeof v === 'object' && v !== null) {
      for (const x of Object.values(v)) frozen(x);
      Object.freeze(v);
    }
    return v;
  };
  const lease = () => frozen({
    metadata: { name: 'l', uid: 'u-1', labels: { a: '1' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }] },
    spec: { holderIdentity: 'h', renewTime: '2026-12-02T10:00:00.000000Z', list: [{ x: 1 }, { x: 2 }] },
  });

  test('a renewal copies only the path it writes; the rest stays the input\'s own', () => {
    const doc = lease();
    const out = applyJsonPatch(doc, [
      { op: 'test', path: '/metadata/uid', value: 'u-1' },
      { op: 'add', path: '/spec/renewTime', value: '2026-12-02T10:00:01.000000Z' },
    ]) as typeof doc;
    assert.equal(out.spec.renewTime, '2026-12-02T10:00:01.000000Z');
    assert.equal(doc.spec.renewTime, '2026-12-02T10:00:00.000000Z', 'the input is unchanged');
    assert.notEqual(out, doc);
    assert.notEqual(out.spec, doc.spec);
    assert.equal(out.metadata, doc.metadata, 'untouched: shared');
    assert.equal(out.spec.list, doc.spec.list);
  });

  test('every operation leaves a frozen input untouched, and later operations see earlier ones', () => {
    const doc = lease();
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/spec/list/0/y', value: { deep: [1] } },
      { op: 'add', path: '/spec/list/0/y/deep/-', value: 2 },
      { op: 'remove', path: '/metadata/labels/a' },
      { op: 'replace', path: '/spec/holderIdentity', value: 'k' },
      { op: 'move', from: '/spec/list/1', path: '/spec/moved' },
      { op: 'copy', from: '/spec/moved', path: '/spec/copied' },
      { op: 'add', path: '/spec/copied/x', value: 3 },
      { op: 'test', path: '/spec/moved/x', value: 2 },
      { op: 'test', path: '/spec/list/0/y/deep', value: [1, 2] },
    ]) as Record<string, Record<string, unknown>>;
    assert.deepEqual(out.spec, { holderIdentity: 'k', renewTime: '2026-12-02T10:00:00.000000Z', list: [{ x: 1, y: { deep: [1, 2] } }], moved: { x: 2 }, copied: { x: 3 } });
    assert.deepEqual(out.metadata!.labels, {});
    assert.deepEqual(doc, lease(), 'the input is as it was');
    assert.equal(out.metadata!.managedFields, doc.metadata.managedFields);
  });

  test('a failing operation after a write leaves the input untouched', () => {
    const doc = lease();
    assert.throws(() => applyJsonPatch(doc, [
      { op: 'replace', path: '/spec/holderIdentity', value: 'k' },
      { op: 'test', path: '/spec/holderIdentity', value: 'h' },
    ]), PatchError);
    assert.equal(doc.spec.holderIdentity, 'h');
  });
});
