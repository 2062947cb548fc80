import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SYNC_TARGET_FINALIZER } from '../../../apis/workload/v1alpha1/synctarget.ts';
import { SYNC_TARGET_KEY_LABEL, toSyncTargetKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import type { KObject } from '../registry/object.ts';
import { syncTargetStrategy } from './synctarget-strategy.ts';

test('a new SyncTarget gets its key label and the controller finalizer; the client’s own labels and finalizers stay', () => {
  const obj: KObject = { metadata: { name: 'east', labels: { region: 'eu' }, finalizers: ['example.com/keep'] } };
  syncTargetStrategy().prepareForCreate!('root:org:team', obj, undefined);
  assert.deepEqual(obj.metadata.labels, { region: 'eu', [SYNC_TARGET_KEY_LABEL]: toSyncTargetKey('root:org:team', 'east') });
  assert.deepEqual(obj.metadata.finalizers, ['example.com/keep', SYNC_TARGET_FINALIZER]);
});

test('with no labels or finalizers, and with the finalizer already listed, it is there once', () => {
  const bare: KObject = { metadata: { name: 'west' } };
  syncTargetStrategy().prepareForCreate!('root:a', bare, undefined);
  assert.deepEqual(bare.metadata.finalizers, [SYNC_TARGET_FINALIZER]);
  assert.equal(bare.metadata.labels?.[SYNC_TARGET_KEY_LABEL], toSyncTargetKey('root:a', 'west'));
  const listed: KObject = { metadata: { name: 'west', finalizers: [SYNC_TARGET_FINALIZER] } };
  syncTargetStrategy().prepareForCreate!('root:a', listed, undefined);
  assert.deepEqual(listed.metadata.finalizers, [SYNC_TARGET_FINALIZER]);
});

test('the same name in another workspace gets another key', () => {
  const a: KObject = { metadata: { name: 'same' } };
  const b: KObject = { metadata: { name: 'same' } };
  syncTargetStrategy().prepareForCreate!('root:a', a, undefined);
  syncTargetStrategy().prepareForCreate!('root:b', b, undefined);
  assert.notEqual(a.metadata.labels?.[SYNC_TARGET_KEY_LABEL], b.metadata.labels?.[SYNC_TARGET_KEY_LABEL]);
});
