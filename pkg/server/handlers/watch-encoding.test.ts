import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventLine, ownedBuffer, SharedEventLines } from './watch-encoding.ts';

test('one encoding per (object, type), shared until evicted by the byte bound', () => {
  const cache = new SharedEventLines(100);
  let encodings = 0;
  const a = { v: 'a'.repeat(20) };
  const wire = (o: object) => () => (encodings++, JSON.stringify(o));
  const first = cache.get('MODIFIED', a, wire(a));
  assert.equal(cache.get('MODIFIED', a, wire(a)), first, 'the same Buffer for every watcher');
  assert.equal(encodings, 1);
  assert.deepEqual(JSON.parse(first.toString()), { type: 'MODIFIED', object: a });
  cache.get('ADDED', a, wire(a));
  assert.equal(encodings, 2, 'another type is another line');
  const b = { v: 'b'.repeat(20) };
  cache.get('MODIFIED', b, wire(b));
  assert.ok(cache.byteSize <= 100, `${cache.byteSize}`);
  cache.get('MODIFIED', a, wire(a));
  assert.equal(encodings, 4, 'a was evicted when b pushed the cache over its bound');
});

test('an event larger than the cache is encoded but not kept', () => {
  const cache = new SharedEventLines(10);
  const line = cache.get('ADDED', { x: 'long enough' }, () => JSON.stringify({ x: 'long enough' }));
  assert.equal(line.toString(), eventLine('ADDED', '{"x":"long enough"}'));
  assert.equal(cache.byteSize, 0);
});

test('a cached line owns its bytes: no shared slab behind a small line stays alive with it', () => {
  const lines = new SharedEventLines(1024 * 1024);
  const small = lines.get('ADDED', { metadata: { name: 'x' } }, () => JSON.stringify({ kind: 'Thing', metadata: { name: 'x' } }));
  assert.equal(small.buffer.byteLength, small.length);
  assert.equal(small.toString(), '{"type":"ADDED","object":{"kind":"Thing","metadata":{"name":"x"}}}\n');
  const wide = ownedBuffer('é✓');
  assert.equal(wide.length, 5);
  assert.equal(wide.toString(), 'é✓');
});

test('lines expire by age: a quiet server holds none of a past burst', () => {
  let now = 0;
  const cache = new SharedEventLines(1024 * 1024, { maxAgeMs: 1000, now: () => now });
  let encodings = 0;
  const wire = (o: object) => () => (encodings++, JSON.stringify(o));
  const a = { v: 'a' };
  const b = { v: 'b' };
  cache.get('ADDED', a, wire(a));
  now = 600;
  cache.get('ADDED', b, wire(b));
  now = 1000;
  cache.sweep();
  assert.equal(encodings, 2);
  cache.get('ADDED', b, wire(b));
  assert.equal(encodings, 2, 'b is younger than the age bound: still shared');
  cache.get('ADDED', a, wire(a));
  assert.equal(encodings, 3, 'a was past the age bound: encoded again');
  now = 5000;
  cache.sweep();
  assert.equal(cache.byteSize, 0);
});

test('a long stream of events evicts oldest first and keeps its byte count exact', () => {
  let now = 0;
  const cache = new SharedEventLines(100 * 40, { maxAgeMs: 1000, now: () => now });
  const objects = Array.from({ length: 5000 }, (_, i) => ({ v: String(i).padStart(10, '0') }));
  const lines = objects.map((o) => cache.get('MODIFIED', o, () => JSON.stringify(o)));
  const lineBytes = lines[0]!.length;
  const kept = Math.floor((100 * 40) / lineBytes);
  assert.equal(cache.byteSize, kept * lineBytes);
  // The newest `kept` are shared still, the one before them was evicted.
  let encodings = 0;
  for (let i = objects.length - kept; i < objects.length; i++) {
    assert.equal(cache.get('MODIFIED', objects[i]!, () => (encodings++, JSON.stringify(objects[i]!))), lines[i]);
  }
  assert.equal(encodings, 0);
  const older = objects[objects.length - kept - 1]!;
  assert.notEqual(cache.get('MODIFIED', older, () => (encodings++, JSON.stringify(older))), lines[objects.length - kept - 1]);
  assert.equal(encodings, 1);
  now = 2000;
  cache.sweep();
  assert.equal(cache.byteSize, 0);
});
