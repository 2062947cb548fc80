import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StringPool, TreePool } from './intern.ts';

test('equal values become one string; objects keep their content and key order', () => {
  const pool = new StringPool();
  const a = JSON.parse('{"kind":"SyncTarget","spec":{"cells":["x","y"]},"n":1,"z":null}') as Record<string, unknown>;
  const b = JSON.parse('{"kind":"SyncTarget","spec":{"cells":["x","y"]},"n":1,"z":null}') as Record<string, unknown>;
  pool.internValues(a);
  pool.internValues(b);
  assert.deepEqual(a, b);
  assert.deepEqual(Object.keys(a), ['kind', 'spec', 'n', 'z']);
  assert.equal(pool.size, 3, 'SyncTarget, x, y');
});

test('bounded: two generations, the hot strings survive a turnover, long strings are not kept', () => {
  const pool = new StringPool({ maxEntries: 2, maxLength: 4 });
  const hot = pool.intern('hot');
  pool.intern('a');
  pool.intern('b'); // young full: {hot, a} becomes old
  assert.equal(pool.intern('hot'), hot, 'found in the old generation, moved to the young one');
  pool.intern('c'); // turnover: old {hot, a} dropped, young {b, hot} becomes old
  assert.ok(pool.size <= 4);
  pool.intern('toolong');
  assert.equal(pool.intern('hot'), hot);
  assert.ok(pool.size <= 4);
});

test('TreePool: equal trees become one frozen object; different ones stay apart', () => {
  const pool = new TreePool();
  const a = pool.intern({ 'f:status': { 'f:conditions': {} } });
  const b = pool.intern(JSON.parse('{"f:status":{"f:conditions":{}}}') as object);
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a) && Object.isFrozen((a as Record<string, object>)['f:status']));
  assert.throws(() => {
    (a as Record<string, unknown>)['f:spec'] = {};
  }, TypeError);
  assert.notEqual(pool.intern({ 'f:spec': {} }), a);
  assert.equal(pool.size, 4, '{}, the two trees, and f:conditions below the first');
});

test('TreePool.intern: trees that differ in one leaf share every other subtree', () => {
  const pool = new TreePool();
  const set = (uid: string) => JSON.parse(`{"f:metadata":{"f:labels":{"f:a":{},"f:b":{}},"f:ownerReferences":{"k:{\\"uid\\":\\"${uid}\\"}":{".":{},"f:kind":{}}}},"f:rules":{}}`) as Record<string, Record<string, Record<string, unknown>>>;
  const a = pool.intern(set('u1'));
  const b = pool.intern(set('u2'));
  assert.notEqual(a, b);
  assert.equal(a['f:metadata']!['f:labels'], b['f:metadata']!['f:labels'], 'the labels subtree is one object');
  assert.equal(a['f:rules'], b['f:rules']);
  assert.deepEqual(Object.keys(a['f:metadata']!['f:ownerReferences']!), ['k:{"uid":"u1"}']);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a['f:metadata']));
  assert.equal(pool.intern(set('u1')), a, 'an equal whole tree is the same object');
  assert.equal(JSON.stringify(pool.intern([{ x: 1 }, 'y', null] as object)), '[{"x":1},"y",null]');
});

test('TreePool.intern: a tree pooled whole is found again, from the old generation too, and stays pooled', () => {
  // tree() pools as exactly 6 nodes ({}, {"f:a":{}}, the labels, the list, the spec, the whole).
  const pool = new TreePool({ maxEntries: 6 });
  const tree = () => ({ 'f:metadata': { 'f:labels': { 'f:a': {} } }, 'f:spec': { 'f:cluster': {}, 'f:list': [1, 'x', null] } });
  const filler = (i: number) => pool.intern({ [`f:o${i}`]: 1 });
  const first = pool.intern(tree());
  assert.ok(Object.isFrozen(first));
  assert.equal(pool.intern(tree()), first);
  filler(0); // the generations turn: tree() is in the old one now
  assert.equal(pool.intern(tree()), first, 'found in the old generation');
  for (let i = 1; i <= 5; i++) filler(i); // they turn again: only what was promoted survives
  assert.equal(pool.intern(tree()), first, 'promoted when found, so still pooled');
  assert.deepEqual(pool.intern({ 'f:spec': { 'f:cluster': {} } }), { 'f:spec': { 'f:cluster': {} } });
});

test('internValues leaves frozen subtrees (pooled trees) alone and interns the rest', () => {
  const pool = new StringPool();
  const trees = new TreePool();
  const pooled = trees.intern({ 'f:spec': { 'f:name': {} }, note: 'kept' });
  const obj = { kind: 'SyncTarget', metadata: { managedFields: [{ manager: 'm', fieldsV1: pooled }] } };
  assert.doesNotThrow(() => pool.internValues(obj), 'writing into a frozen tree would throw (module code is strict)');
  assert.equal(obj.metadata.managedFields[0]!.fieldsV1, pooled);
  assert.equal(pool.intern('SyncTarget'), obj.kind);
  assert.equal(pool.intern('m'), obj.metadata.managedFields[0]!.manager);
});

test('internValues skips what a known, interned object shares at the same position, and interns the rest', () => {
  class Counting extends StringPool {
    looked: string[] = [];
    override intern(s: string): string {
      this.looked.push(s);
      return super.intern(s);
    }
  }
  const pool = new Counting();
  const prev = JSON.parse('{"kind":"SyncTarget","spec":{"cells":["x"]},"status":{"conditions":[{"type":"Ready"}],"t":"1"}}') as Record<string, any>;
  pool.internValues(prev);
  pool.looked = [];
  // A new version sharing spec and conditions with prev, and prev's spec again in another place.
  const next = { kind: 'Sync' + 'Target', spec: prev.spec, other: prev.spec, status: { conditions: prev.status.conditions, t: '2' } };
  pool.internValues(next, prev);
  assert.deepEqual(pool.looked, ['SyncTarget', 'x', '2'], 'shared at the same position: skipped; elsewhere (other.cells) or changed: interned');
  assert.equal(next.kind, prev.kind);
  pool.looked = [];
  pool.internValues(next);
  assert.deepEqual(pool.looked, ['SyncTarget', 'x', 'x', 'Ready', '2'], 'without it, everything is walked');
});
