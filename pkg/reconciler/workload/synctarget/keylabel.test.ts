import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base62, syncTargetKeyLabel } from './keylabel.ts';

test('base62 and the key label', () => {
  assert.equal(base62(new Uint8Array([0])), '0');
  assert.equal(base62(new Uint8Array([61])), 'z');
  assert.equal(base62(new Uint8Array([62])), '10');
  const k = syncTargetKeyLabel('root:org', 'edge');
  assert.match(k, /^[0-9A-Za-z]{1,63}$/);
  assert.equal(k, syncTargetKeyLabel('root:org', 'edge'));
  assert.notEqual(k, syncTargetKeyLabel('root:other', 'edge'));
});
