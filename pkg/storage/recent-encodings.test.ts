import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeObject, withRevision } from './object-codec.ts';
import { RecentEncodings, withResourceVersion } from './recent-encodings.ts';
import type { StoredObject } from './interface.ts';

const KEY = '/registry/workload.kcp.io/synctargets/root/a';

function handedOut(obj: StoredObject, rev: number): { out: StoredObject; json: string } {
  return { out: withRevision(obj, rev), json: encodeObject(KEY, obj) };
}

test('the stored bytes with the revision spliced in are the object: plain, empty metadata, escaped type strings, a stale revision in the written object', () => {
  const cases: StoredObject[] = [
    { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 'a', labels: { x: 'y' } }, spec: { cluster: 'c' }, status: { n: 1 } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
    { apiVersion: 'x.io/v"1\\', kind: 'K\u2028ind', metadata: { name: '"quoted"' }, data: { k: '}{' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '3' }, data: {} },
  ];
  for (const obj of cases) {
    const { out, json } = handedOut(obj, 42);
    const spliced = withResourceVersion(json, out);
    assert.ok(spliced !== undefined, JSON.stringify(obj));
    assert.deepEqual(JSON.parse(spliced), JSON.parse(JSON.stringify(out)));
    assert.equal((JSON.parse(spliced) as StoredObject).metadata?.resourceVersion, '42');
  }
});

test('bytes in another shape are left to a full encoding', () => {
  const noType = handedOut({ metadata: { name: 'a' }, spec: {} }, 1);
  assert.equal(withResourceVersion(noType.json, noType.out), undefined, 'no apiVersion and kind');
  const late = handedOut({ apiVersion: 'v1', kind: 'ConfigMap', data: { metadata: '{' }, metadata: { name: 'a' } }, 1);
  assert.equal(withResourceVersion(late.json, late.out), undefined, 'metadata not right after the type');
  const { out, json } = handedOut({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, 1);
  assert.equal(withResourceVersion(json, { ...out, kind: 'Secret' }), undefined, 'bytes of another object');
  assert.equal(withResourceVersion(json, { ...out, metadata: { name: 'a' } }), undefined, 'no resourceVersion to splice');
});

test('remembered by identity for two generations, then forgotten', () => {
  const r = new RecentEncodings(2);
  const objs = [0, 1, 2, 3, 4].map((i) => handedOut({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } }, i + 1));
  for (const { out, json } of objs) r.remember(out, json);
  // Generations of two: c0 and c1 were in the generation dropped when c4 started a new one.
  assert.deepEqual(objs.map(({ out }) => r.jsonOf(out) !== undefined), [false, false, true, true, true]);
  assert.equal(r.jsonOf({ ...objs[4]!.out }), undefined, 'an equal object is not the same object');
  assert.deepEqual(JSON.parse(r.jsonOf(objs[4]!.out)!), objs[4]!.out);
});

test('with verify, bytes that do not encode the object fail loudly instead of being sent', () => {
  const r = new RecentEncodings(8);
  const { out } = handedOut({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }, 7);
  const other = encodeObject(KEY, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'w' } });
  r.remember(out, other, true);
  assert.throws(() => r.jsonOf(out), /do not encode it/);
  const quiet = new RecentEncodings(8);
  quiet.remember(out, other);
  assert.equal(JSON.parse(quiet.jsonOf(out)!).data.k, 'w', 'without verify the bytes are trusted (the backend only remembers what it wrote)');
});
