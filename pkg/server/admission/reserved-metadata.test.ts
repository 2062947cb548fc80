import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reservedMetadataChanges } from './reserved-metadata.ts';

const STATE = 'state.workload.kcp.io/2mTWwWbmvUFnbbGXcfCo6Ovf0PsvBpPhwvl8MV';
const DELETION = 'deletion.internal.workload.kcp.io/2mTWwWbmvUFnbbGXcfCo6Ovf0PsvBpPhwvl8MV';
const FINALIZER = 'workload.kcp.io/syncer-2mTWwWbmvUFnbbGXcfCo6Ovf0PsvBpPhwvl8MV';

test('a create may carry no reserved metadata; ordinary metadata is free', () => {
  assert.deepEqual(reservedMetadataChanges(undefined, { labels: { app: 'web' }, annotations: { note: 'x' }, finalizers: ['example.com/keep'] }), []);
  assert.deepEqual(reservedMetadataChanges(undefined, { labels: { [STATE]: 'Sync' } }), [`metadata.labels[${STATE}]`]);
  assert.deepEqual(reservedMetadataChanges(undefined, { labels: { 'internal.workload.kcp.io/key': 'abc' } }), ['metadata.labels[internal.workload.kcp.io/key]']);
  assert.deepEqual(reservedMetadataChanges(undefined, { annotations: { [DELETION]: '2026-12-01T00:00:00Z' } }), [`metadata.annotations[${DELETION}]`]);
  assert.deepEqual(reservedMetadataChanges(undefined, { finalizers: [FINALIZER] }), ['metadata.finalizers']);
});

test('an update may keep reserved metadata and change everything else, but not add, change or drop it', () => {
  const live = { labels: { [STATE]: 'Sync', app: 'web' }, annotations: { [DELETION]: 't1' }, finalizers: [FINALIZER, 'example.com/keep'] };
  assert.deepEqual(reservedMetadataChanges(live, { labels: { [STATE]: 'Sync', app: 'api', tier: 'x' }, annotations: { [DELETION]: 't1', note: 'y' }, finalizers: ['example.com/keep', FINALIZER] }), []);
  assert.deepEqual(reservedMetadataChanges(live, { ...live, labels: { app: 'web' } }), [`metadata.labels[${STATE}]`]);
  assert.deepEqual(reservedMetadataChanges(live, { ...live, labels: { [STATE]: 'Other', app: 'web' } }), [`metadata.labels[${STATE}]`]);
  assert.deepEqual(reservedMetadataChanges(live, { ...live, annotations: {} }), [`metadata.annotations[${DELETION}]`]);
  assert.deepEqual(reservedMetadataChanges(live, { ...live, finalizers: ['example.com/keep'] }), ['metadata.finalizers']);
  // Dropping only an ordinary finalizer is fine.
  assert.deepEqual(reservedMetadataChanges(live, { ...live, finalizers: [FINALIZER] }), []);
});
