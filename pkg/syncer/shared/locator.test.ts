import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base36, downstreamNamespaceName, locatorJSON, locatorOf, NAMESPACE_LOCATOR_ANNOTATION } from './locator.ts';

const loc = { syncTarget: { cluster: 'root:team', name: 'edge-1', uid: '1b2c3d4e-0000-4000-8000-000000000001' }, cluster: 'root:team', namespace: 'web' };

test('the locator JSON is Go\'s field order without spaces', () => {
  assert.equal(locatorJSON({ namespace: 'web', cluster: 'root:team', syncTarget: { uid: loc.syncTarget.uid, name: 'edge-1', cluster: 'root:team' } }),
    '{"syncTarget":{"cluster":"root:team","name":"edge-1","uid":"1b2c3d4e-0000-4000-8000-000000000001"},"cluster":"root:team","namespace":"web"}');
});

test('downstream namespace name: vector computed with Python (hashlib.sha224, int → base 36)', () => {
  // python3: h = sha224(json.dumps(loc, separators=(',',':'))); int.from_bytes(h,'big') in base 36
  assert.equal(downstreamNamespaceName(loc), 'kcp-33orysihfsd8');
  assert.notEqual(downstreamNamespaceName({ ...loc, namespace: 'web2' }), 'kcp-33orysihfsd8');
});

test('base36 keeps leading zero bytes', () => {
  assert.equal(base36(Uint8Array.from([0, 0, 1])), '001');
  assert.equal(base36(Uint8Array.from([1, 0])), '74');
});

test('locatorOf parses ours and rejects what is not a locator', () => {
  assert.deepEqual(locatorOf({ [NAMESPACE_LOCATOR_ANNOTATION]: locatorJSON(loc) }), loc);
  assert.equal(locatorOf({ [NAMESPACE_LOCATOR_ANNOTATION]: 'not json' }), undefined);
  assert.equal(locatorOf({ [NAMESPACE_LOCATOR_ANNOTATION]: '{"cluster":"x"}' }), undefined);
  assert.equal(locatorOf(undefined), undefined);
});
