import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base62, stateLabelKey, toSyncTargetKey } from './synctargetkey.ts';

test('base62 uses Go big.Int Text(62) digits: lower case before upper case', () => {
  assert.equal(base62(new Uint8Array([0])), '0');
  assert.equal(base62(new Uint8Array([10])), 'a');
  assert.equal(base62(new Uint8Array([36])), 'A');
  assert.equal(base62(new Uint8Array([61])), 'Z');
  assert.equal(base62(new Uint8Array([62])), '10');
});

test('toSyncTargetKey matches vectors computed independently', () => {
  // Computed with Python, not with this code:
  // python3 -c 'import hashlib
  // D="0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
  // def k(s):
  //   n=int.from_bytes(hashlib.sha224(s.encode()).digest(),"big"); o=""
  //   while n: o=D[n%62]+o; n//=62
  //   return o
  // print(k("root:org:edge")); print(k("root:org:edge-1"))'
  assert.equal(toSyncTargetKey('root:org', 'edge'), 'cHwDbUlsjznYIKfUQP9k0It0D5rVLdFEAHrTkU');
  assert.equal(toSyncTargetKey('root:org', 'edge-1'), '8d4Lh3957NCz0tONbvnmKwNAZ4ciCjo5qRvBJX');
  assert.notEqual(toSyncTargetKey('root:other', 'edge'), toSyncTargetKey('root:org', 'edge'));
  assert.equal(stateLabelKey('abc'), 'state.workload.kcp.io/abc');
});
