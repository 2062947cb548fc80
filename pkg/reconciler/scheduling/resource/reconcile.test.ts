// The labeller's plan for one object over literal caches: labels follow the namespace per
// accepted type (Secrets included), departures keep the label of synced objects and annotate
// them, never-synced objects lose it at once, and the fallback finishes departures and
// deletions a syncer cannot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigMapGVR, DeploymentGVR, SecretGVR } from '../../../client/gvr.ts';
import type { KubeObject, SyncTarget } from '../../../client/index.ts';
import { acceptedTypes, SERVED_NAMESPACED_TYPES } from '../shared/synced-objects.ts';
import { accepts, planObject, type PlanContext } from './reconcile.ts';

const NOW = Date.parse('2026-06-01T00:10:00Z');
const GRACE = 60_000;
const S = (k: string) => `state.workload.kcp.io/${k}`;
const D = (k: string) => `deletion.internal.workload.kcp.io/${k}`;
const F = (k: string) => `workload.kcp.io/syncer-${k}`;

function st(key: string, healthy = true, accepted = ['configmaps', 'secrets']): SyncTarget {
  return {
    metadata: { name: key, labels: { 'internal.workload.kcp.io/key': key } },
    spec: { cluster: key },
    status: {
      conditions: [{ type: 'HeartbeatHealthy', status: healthy ? 'True' : 'False', lastTransitionTime: '2026-06-01T00:00:00Z' }],
      syncedResources: accepted.map((resource) => ({ resource, versions: ['v1'], state: 'Accepted' as const })),
    },
  };
}

function ctx(ns: KubeObject | undefined, targets: SyncTarget[]): PlanContext {
  return { namespace: ns, syncTargetByKey: (k) => targets.find((t) => t.metadata.name === k), now: NOW, graceMs: GRACE };
}

const obj = (labels: Record<string, string> = {}, annotations: Record<string, string> = {}, finalizers: string[] = [], extra: Partial<KubeObject['metadata']> = {}): KubeObject =>
  ({ metadata: { name: 'o', namespace: 'web', resourceVersion: '7', labels, annotations, finalizers, ...extra } });

test('every served namespaced type a syncer accepts is synced: Secrets too, not what the server lacks', () => {
  const names = SERVED_NAMESPACED_TYPES.map((g) => g.resource);
  assert.ok(names.includes('secrets') && names.includes('configmaps') && names.includes('deployments'));
  const a = st('a', true, ['secrets', 'services', 'configmaps']);
  assert.deepEqual(acceptedTypes([a]).map((g) => g.resource).sort(), ['configmaps', 'secrets'], 'services are not served by kplane');
  assert.equal(accepts(a, SecretGVR), true);
  assert.equal(accepts(a, DeploymentGVR), false);
  assert.equal(accepts(undefined, ConfigMapGVR), false);
});

test('an object is labelled for the namespace\'s SyncTargets that accept its type, other keys go', () => {
  const ns = obj({ [S('a')]: 'Sync', [S('b')]: 'Sync' });
  const plan = planObject(obj({ app: 'x', [S('old')]: 'Sync' }), SecretGVR, ctx(ns, [st('a'), st('b', true, ['configmaps'])]));
  assert.deepEqual(plan.patch.body(), { metadata: { resourceVersion: '7', labels: { [S('a')]: 'Sync', [S('old')]: null } } });
  assert.equal(planObject(obj({ [S('a')]: 'Sync' }), SecretGVR, ctx(ns, [st('a')])).patch.empty(), true, 'nothing to do → no write');
});

test('leaving a SyncTarget: a synced object keeps its label and gets the namespace\'s deletion time; an unsynced one loses the label', () => {
  const ns = obj({ [S('a')]: 'Sync', [S('b')]: 'Sync' }, { [D('a')]: '2026-06-01T00:09:00Z' });
  const synced = planObject(obj({ [S('a')]: 'Sync' }, {}, [F('a')]), ConfigMapGVR, ctx(ns, [st('a'), st('b')]));
  assert.deepEqual(synced.patch.body().metadata, { resourceVersion: '7', labels: { [S('b')]: 'Sync' }, annotations: { [D('a')]: '2026-06-01T00:09:00Z' } });
  const unsynced = planObject(obj({ [S('a')]: 'Sync' }), ConfigMapGVR, ctx(ns, [st('a'), st('b')]));
  assert.deepEqual(unsynced.patch.body().metadata, { resourceVersion: '7', labels: { [S('a')]: null, [S('b')]: 'Sync' } });
  // Type no longer accepted where the namespace still is: annotated with the current time.
  const dropped = planObject(obj({ [S('b')]: 'Sync' }, {}, [F('b')]), DeploymentGVR, ctx(obj({ [S('b')]: 'Sync' }), [st('b')]));
  assert.deepEqual(dropped.patch.body().metadata.annotations, { [D('b')]: '2026-06-01T00:10:00Z' });
});

test('the fallback: SyncTarget gone → at once; syncer down → after the grace from the annotation; alive → the syncer does it', () => {
  const leaving = obj({ [S('a')]: 'Sync' }, { [D('a')]: '2026-06-01T00:09:30Z' }, [F('a'), 'other/keep']);
  const gone = planObject(leaving, ConfigMapGVR, ctx(undefined, []));
  assert.deepEqual(gone.fallback, ['a']);
  assert.deepEqual(gone.patch.body().metadata, { resourceVersion: '7', labels: { [S('a')]: null }, annotations: { [D('a')]: null }, finalizers: ['other/keep'] });
  const down = planObject(leaving, ConfigMapGVR, ctx(undefined, [st('a', false)]));
  assert.equal(down.patch.empty(), true);
  assert.equal(down.recheckAt, Date.parse('2026-06-01T00:10:30Z'), 'exactly when the grace has passed');
  const alive = planObject(leaving, ConfigMapGVR, ctx(undefined, [st('a')]));
  assert.equal(alive.patch.empty(), true);
  assert.equal(alive.recheckAt, undefined);
});

test('a deleted object held by the finalizer of a gone SyncTarget is released; a stray finalizer without its label too', () => {
  const deleted = obj({ [S('a')]: 'Sync' }, {}, [F('a')], { deletionTimestamp: '2026-06-01T00:00:00Z' });
  assert.deepEqual(planObject(deleted, ConfigMapGVR, ctx(undefined, [])).patch.body().metadata, { resourceVersion: '7', labels: { [S('a')]: null }, finalizers: [] });
  assert.equal(planObject(deleted, ConfigMapGVR, ctx(undefined, [st('a')])).patch.empty(), true, 'its syncer is alive: it deletes the copy');
  const stray = obj({}, { [D('a')]: '2026-06-01T00:00:00Z' }, [F('a')]);
  assert.deepEqual(planObject(stray, ConfigMapGVR, ctx(obj(), [st('a')])).patch.body().metadata, { resourceVersion: '7', annotations: { [D('a')]: null }, finalizers: [] });
});
