import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeySpace, keyAfter, prefixRangeEnd } from './key-space.ts';

test('keys are the storage key under the prefix; a trailing slash on the prefix is ignored', () => {
  const ks = new KeySpace('/kplane-a/');
  assert.equal(ks.prefix, '/kplane-a');
  assert.equal(ks.key('/registry/core/secrets/root/x').toString(), '/kplane-a/registry/core/secrets/root/x');
  assert.equal(ks.storageKey(Buffer.from('/kplane-a/registry/core/secrets/root/x')), '/registry/core/secrets/root/x');
  assert.throws(() => ks.storageKey(Buffer.from('/other/registry/x')), /outside prefix/);
  assert.equal(new KeySpace().key('/registry/x').toString(), '/registry/x');
});

test('a prefix must be absolute', () => {
  assert.throws(() => new KeySpace('kplane'), /must start with '\/'/);
});

test("range: '/'-terminated prefixes cover their subtree only, other strings are one exact key", () => {
  const ks = new KeySpace('/p');
  const r = ks.range('/registry/g/things/root/');
  assert.equal(r.start.toString(), '/p/registry/g/things/root/');
  assert.equal(r.end?.toString(), '/p/registry/g/things/root0');
  // root:org/ sorts after root/ and before root0: outside the range.
  const inRange = (k: string) => Buffer.compare(Buffer.from(k), r.start) >= 0 && Buffer.compare(Buffer.from(k), r.end!) < 0;
  assert.ok(inRange('/p/registry/g/things/root/ns/x'));
  assert.ok(!inRange('/p/registry/g/things/root:org/x'));
  assert.deepEqual(ks.range('/registry/g/things/root/x'), { start: Buffer.from('/p/registry/g/things/root/x') });
});

test('prefixRangeEnd bumps the last byte below 0xff; keyAfter appends NUL', () => {
  assert.deepEqual(prefixRangeEnd(Buffer.from([0x61, 0xff])), Buffer.from([0x62]));
  assert.deepEqual(prefixRangeEnd(Buffer.from([0xff, 0xff])), Buffer.from([0]));
  assert.deepEqual(keyAfter(Buffer.from('a')), Buffer.from([0x61, 0]));
});
