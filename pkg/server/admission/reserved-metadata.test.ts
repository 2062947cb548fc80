import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reservedMetadataEdits, withStoredReservedMetadata } from './reserved-metadata.ts';

const STATE = 'state.workload.kcp.io/2mTWwWbmvUFnbbGXcfCo6Ovf0PsvBpPhwvl8MV';
const DELETION = 'deletion.internal.workload.kcp.io/2mTWwWbmvUFnbbGXcfCo6Ovf0PsvBpPhwvl8MV';
const FINALIZER = 'workload.kcp.io/syncer-2mTWwWbmvUFnbbGXcfCo6Ovf0PsvBpPhwvl8MV';
const none = { changed: [], dropped: [] };

test('a create may carry no reserved metadata; ordinary metadata is free', () => {
  assert.deepEqual(reservedMetadataEdits(undefined, { labels: { app: 'web' }, annotations: { note: 'x' }, finalizers: ['example.com/keep'] }), none);
  assert.deepEqual(reservedMetadataEdits(undefined, { labels: { [STATE]: 'Sync' } }).changed, [`metadata.labels[${STATE}]`]);
  assert.deepEqual(reservedMetadataEdits(undefined, { labels: { 'internal.workload.kcp.io/key': 'abc' } }).changed, ['metadata.labels[internal.workload.kcp.io/key]']);
  assert.deepEqual(reservedMetadataEdits(undefined, { annotations: { [DELETION]: '2026-12-01T00:00:00Z' } }).changed, [`metadata.annotations[${DELETION}]`]);
  assert.deepEqual(reservedMetadataEdits(undefined, { finalizers: [FINALIZER] }).changed, [`metadata.finalizers[${FINALIZER}]`]);
});

test('an update may not add or change reserved metadata; what it leaves out is reported as dropped', () => {
  const live = { labels: { [STATE]: 'Sync', app: 'web' }, annotations: { [DELETION]: 't1' }, finalizers: [FINALIZER, 'example.com/keep'] };
  assert.deepEqual(reservedMetadataEdits(live, { labels: { [STATE]: 'Sync', app: 'api', tier: 'x' }, annotations: { [DELETION]: 't1', note: 'y' }, finalizers: ['example.com/keep', FINALIZER] }), none);
  assert.deepEqual(reservedMetadataEdits(live, { ...live, labels: { [STATE]: 'Other', app: 'web' } }), { changed: [`metadata.labels[${STATE}]`], dropped: [] });
  assert.deepEqual(reservedMetadataEdits({}, { labels: { [STATE]: 'Sync' } }), { changed: [`metadata.labels[${STATE}]`], dropped: [] });
  assert.deepEqual(reservedMetadataEdits(live, { labels: { app: 'web' } }), {
    changed: [],
    dropped: [`metadata.labels[${STATE}]`, `metadata.annotations[${DELETION}]`, `metadata.finalizers[${FINALIZER}]`],
  });
  // Dropping only an ordinary finalizer is nothing to the rule.
  assert.deepEqual(reservedMetadataEdits(live, { ...live, finalizers: [FINALIZER] }), none);
});

test('what was dropped is put back as stored, next to the write\'s own edits', () => {
  const live = { labels: { [STATE]: 'Sync', app: 'web' }, annotations: { [DELETION]: 't1' }, finalizers: [FINALIZER] };
  assert.deepEqual(withStoredReservedMetadata(live, { labels: { app: 'api' } }), {
    labels: { app: 'api', [STATE]: 'Sync' },
    annotations: { [DELETION]: 't1' },
    finalizers: [FINALIZER],
  });
  // Fields neither side has stay absent.
  assert.deepEqual(withStoredReservedMetadata({ labels: { [STATE]: 'Sync' } }, {}), { labels: { [STATE]: 'Sync' } });
});
