import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deletionAnnotation, syncerFinalizer } from '../../../apis/workload/v1alpha1/sync-contract.ts';
import { stateLabelKey, toSyncTargetKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import { isStatusError } from '../../apierrors/errors.ts';
import type { KObject } from '../registry/object.ts';
import { syncerObjectView } from './view.ts';

const K = toSyncTargetKey('root:org', 'edge-1');
const K2 = toSyncTargetKey('root:org', 'edge-2');
const configMaps = syncerObjectView(K, { group: '', plural: 'configmaps' });
const namespaces = syncerObjectView(K, { group: '', plural: 'namespaces' });

function cm(labels: Record<string, string>, extra: Partial<KObject['metadata']> = {}, data: Record<string, string> = { a: '1' }): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'web', labels, ...extra }, data };
}
const forbidden = (e: unknown) => isStatusError(e, 'Forbidden');

test('only objects labelled for this SyncTarget (any value) are in the view', () => {
  assert.ok(configMaps.contains(cm({ [stateLabelKey(K)]: 'Sync' })));
  assert.ok(configMaps.contains(cm({ [stateLabelKey(K)]: '' })));
  assert.ok(!configMaps.contains(cm({ [stateLabelKey(K2)]: 'Sync' })));
  assert.ok(!configMaps.contains(cm({})));
  assert.ok(!configMaps.contains({ metadata: { name: 'x' } }));
});

test('the syncer may change its objects, drop its own label, finalizer and deletion annotation', () => {
  const live = cm({ [stateLabelKey(K)]: 'Sync', [stateLabelKey(K2)]: 'Sync', app: 'web' }, {
    finalizers: [syncerFinalizer(K), syncerFinalizer(K2)],
    annotations: { [deletionAnnotation(K)]: '2026-01-01T00:00:00Z', [deletionAnnotation(K2)]: '2026-01-01T00:00:00Z' },
  });
  const next = cm({ [stateLabelKey(K2)]: 'Sync', app: 'other' }, {
    finalizers: [syncerFinalizer(K2), 'example.com/x'],
    annotations: { [deletionAnnotation(K2)]: '2026-01-01T00:00:00Z', note: 'n' },
  }, { a: '2' });
  configMaps.checkWrite(live, next, '');
  configMaps.checkWrite(live, { ...live, status: { x: 1 } }, 'status');
});

test('what belongs to other SyncTargets cannot be touched', () => {
  const live = cm({ [stateLabelKey(K)]: 'Sync' }, { finalizers: [syncerFinalizer(K2)], annotations: { [deletionAnnotation(K2)]: 't' } });
  const cases: KObject[] = [
    cm({ [stateLabelKey(K)]: 'Sync', [stateLabelKey(K2)]: 'Sync' }, { finalizers: [syncerFinalizer(K2)], annotations: { [deletionAnnotation(K2)]: 't' } }),
    cm({ [stateLabelKey(K)]: 'Sync' }, { finalizers: [], annotations: { [deletionAnnotation(K2)]: 't' } }),
    cm({ [stateLabelKey(K)]: 'Sync' }, { finalizers: [syncerFinalizer(K2), syncerFinalizer('other')], annotations: { [deletionAnnotation(K2)]: 't' } }),
    cm({ [stateLabelKey(K)]: 'Sync' }, { finalizers: [syncerFinalizer(K2)], annotations: {} }),
    cm({ [stateLabelKey(K)]: 'Sync' }, { finalizers: [syncerFinalizer(K2)], annotations: { [deletionAnnotation(K2)]: 'later' } }),
  ];
  for (const next of cases) assert.throws(() => configMaps.checkWrite(live, next, ''), forbidden, JSON.stringify(next.metadata));
});

test('namespaces: metadata only', () => {
  const ns = (labels: Record<string, string>, spec?: unknown, status?: unknown): KObject => ({
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web', labels }, ...(spec ? { spec } : {}), ...(status ? { status } : {}),
  });
  const live = ns({ [stateLabelKey(K)]: 'Sync' }, { finalizers: ['kubernetes'] }, { phase: 'Active' });
  namespaces.checkWrite(live, ns({ x: 'y' }, { finalizers: ['kubernetes'] }, { phase: 'Active' }), '');
  assert.throws(() => namespaces.checkWrite(live, ns({ [stateLabelKey(K)]: 'Sync' }, { finalizers: [] }, { phase: 'Active' }), ''), forbidden);
  assert.throws(() => namespaces.checkWrite(live, ns({ [stateLabelKey(K)]: 'Sync' }, { finalizers: ['kubernetes'] }, { phase: 'Terminating' }), 'status'), forbidden);
});
