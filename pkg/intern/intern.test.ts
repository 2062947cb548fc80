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
  assert.equal(pool.size, 2);
});
