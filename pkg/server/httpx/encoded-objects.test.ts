import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EncodedObjects } from './encoded-objects.ts';

test('an object answered a second time is kept, and answered with the same bytes after', () => {
  const enc = new EncodedObjects(4);
  const obj = { kind: 'SyncTarget', metadata: { name: 'ü', resourceVersion: '7' } };
  const first = enc.encode(obj);
  assert.deepEqual(JSON.parse(first.toString('utf8')), obj);
  assert.equal(first.length, Buffer.byteLength(JSON.stringify(obj)), 'UTF-8 bytes, not characters');
  assert.equal(enc.size, 0, 'an object answered once is not kept');
  const second = enc.encode(obj);
  assert.deepEqual(second, first);
  assert.equal(enc.size, 1);
  assert.equal(enc.encode(obj), second, 'the same Buffer, not a new encoding');
});

test('equal objects that are different objects are encoded each on their own', () => {
  const enc = new EncodedObjects(4);
  const a = { metadata: { resourceVersion: '1' } };
  const b = { metadata: { resourceVersion: '2' } };
  assert.equal(enc.encode(a).toString(), JSON.stringify(a));
  assert.equal(enc.encode(b).toString(), JSON.stringify(b));
  assert.notEqual(enc.encode({ ...a }), enc.encode(a));
});

test('the oldest entry goes first once the capacity is reached, and is encoded again when asked for', () => {
  const enc = new EncodedObjects(2);
  const [a, b, c] = [{ n: 1 }, { n: 2 }, { n: 3 }];
  for (const o of [a, b, c]) enc.encode(o); // answered once: only marked
  const aBytes = enc.encode(a);
  const bBytes = enc.encode(b);
  enc.encode(a); // a hit does not refresh: first in, first out
  enc.encode(c);
  assert.equal(enc.size, 2);
  assert.equal(enc.encode(b), bBytes, 'b is still held');
  const again = enc.encode(a);
  assert.notEqual(again, aBytes, 'a was evicted and encoded anew');
  assert.deepEqual(again, aBytes);
  assert.equal(enc.size, 2);
});

test('a capacity that is not a positive integer is refused', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => new EncodedObjects(bad), RangeError);
});
