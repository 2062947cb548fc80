// The scheduling decisions over literal caches: Location selection and phases, the winner of a
// namespace two Placements select, the choice of SyncTarget and staying put.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toSyncTargetKey } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
import type { KubeObject, Location, Placement, SyncTarget } from '../../../client/index.ts';
import { Indexer } from '../../../informer/indexer.ts';
import { Lister } from '../../../informer/lister.ts';
import { decide } from '../namespace/decide.ts';
import { countInstances, instancesOf, isSchedulable } from './selection.ts';
import type { NamespaceDeps } from '../namespace/types.ts';
import { computeStatus } from '../placement/reconcile.ts';
import type { PlacementDeps } from '../placement/types.ts';

const WS = 'root:org';
const ann = (cluster = WS) => ({ 'kcp.io/cluster': cluster });
const ST_GVR = { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets' };

function listerOf<T extends KubeObject>(objs: T[]): Lister<T> {
  const idx = new Indexer<T>();
  for (const o of objs) idx.upsert(o);
  return new Lister(idx);
}

function st(name: string, ready = true, extra: Partial<SyncTarget['spec']> = {}): SyncTarget {
  return {
    metadata: { name, annotations: ann(), labels: { region: 'eu' } },
    spec: { cluster: name, ...extra },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function location(name: string, labels: Record<string, string> = {}): Location {
  return { metadata: { name, annotations: ann(), labels }, spec: { resource: ST_GVR, instanceSelector: {} } };
}

function placement(name: string, created: string, selected?: string, spec: Partial<Placement['spec']> = {}): Placement {
  return {
    metadata: { name, annotations: ann(), creationTimestamp: created },
    spec: { locationResource: ST_GVR, locationSelectors: [{}], namespaceSelector: { matchLabels: { app: 'web' } }, ...spec },
    ...(selected ? { status: { phase: 'Unbound' as const, selectedLocation: { path: WS, locationName: selected } } } : {}),
  };
}

function ns(name: string, labels: Record<string, string> = { app: 'web' }): KubeObject {
  return { metadata: { name, annotations: ann(), labels } };
}

function placementDeps(placements: Placement[], locations: Location[], namespaces: KubeObject[]): PlacementDeps {
  return { clusterClient: undefined as never, placements: listerOf(placements), locations: listerOf(locations), namespaces: listerOf(namespaces), recorder: undefined as never, now: () => 0 };
}

test('a Placement selects the first matching Location and is Bound once it places a namespace', () => {
  const p = placement('p', '2026-01-01T00:00:00Z', undefined, { locationSelectors: [{ matchLabels: { tier: 'gold' } }] });
  const locs = [location('b', { tier: 'gold' }), location('a', { tier: 'silver' }), location('c', { tier: 'gold' })];
  const s = computeStatus(placementDeps([p], locs, [ns('web')]), p);
  assert.deepEqual(s.selectedLocation, { path: WS, locationName: 'b' });
  assert.equal(s.phase, 'Bound');
  const unbound = computeStatus(placementDeps([p], locs, [ns('other', { app: 'db' })]), p);
  assert.equal(unbound.phase, 'Unbound');
});

test('no Location → Pending with the reason; another workspace is refused with a condition', () => {
  const p = placement('p', '2026-01-01T00:00:00Z');
  const none = computeStatus(placementDeps([p], [], []), p);
  assert.equal(none.phase, 'Pending');
  assert.equal(none.conditions?.find((c) => c.type === 'Ready')?.reason, 'LocationNotFound');
  const noMatch = computeStatus(placementDeps([p], [], []), { ...p, spec: { ...p.spec!, locationSelectors: [] } });
  assert.equal(noMatch.conditions?.find((c) => c.type === 'Ready')?.reason, 'LocationNotFound');
  const other = placement('q', '2026-01-01T00:00:00Z', undefined, { locationWorkspace: 'root:compute' });
  const forbidden = computeStatus(placementDeps([other], [location('default')], []), other, { allowed: false, message: 'no' });
  assert.equal(forbidden.phase, 'Pending');
  assert.equal(forbidden.conditions?.find((c) => c.type === 'Ready')?.reason, 'LocationWorkspaceForbidden');
});

test('two Placements selecting one namespace: the older wins, the newer says so', () => {
  const older = placement('zeta', '2026-01-01T00:00:00Z', 'default');
  const newer = placement('alpha', '2026-01-02T00:00:00Z', 'default');
  const deps = placementDeps([older, newer], [location('default')], [ns('web')]);
  assert.equal(computeStatus(deps, older).phase, 'Bound');
  const lost = computeStatus(deps, newer);
  assert.equal(lost.phase, 'Unbound');
  const cond = lost.conditions?.find((c) => c.type === 'NamespacesOwned');
  assert.equal(cond?.status, 'False');
  assert.match(cond?.message ?? '', /web \(placed by zeta\)/);
});

function nsDeps(namespaces: KubeObject[], syncTargets: SyncTarget[], placements = [placement('p', '2026-01-01T00:00:00Z', 'default')]): NamespaceDeps {
  return {
    clusterClient: undefined as never,
    namespaces: listerOf(namespaces),
    placements: listerOf(placements),
    locations: listerOf([location('default')]),
    syncTargets: listerOf(syncTargets),
    synced: { types: () => [], hasSynced: () => true },
    recorder: undefined as never,
    now: () => Date.parse('2026-06-01T00:00:00Z'),
    evictionGraceMs: 300_000,
    assumed: new Map(),
    blocked: new Map(),
  };
}

test('the namespace goes to the least loaded schedulable SyncTarget and stays there', () => {
  const keyA = toSyncTargetKey(WS, 'a');
  const keyB = toSyncTargetKey(WS, 'b');
  const busy = ns('busy', { [`state.workload.kcp.io/${keyA}`]: 'Sync' });
  const targets = [st('a'), st('b'), st('c', false), st('d', true, { unschedulable: true }), st('e', true, { evictAfter: '2026-01-01T00:00:00Z' })];
  const d = decide(nsDeps([busy, ns('web')], targets), ns('web'));
  assert.equal(d.kind, 'placed');
  assert.equal(d.kind === 'placed' && d.key, keyB);
  // Already on a (even though a is busier): no move.
  const onA = ns('web', { app: 'web', [`state.workload.kcp.io/${keyA}`]: 'Sync' });
  const kept = decide(nsDeps([busy, onA], targets), onA);
  assert.equal(kept.kind === 'placed' && kept.kept && kept.key, keyA);
  // A placement just written counts before the cache shows it.
  const deps = nsDeps([busy, ns('web'), ns('web2')], targets);
  deps.assumed.set('root:org|web', [keyB]);
  const next = decide(deps, ns('web2'));
  assert.equal(next.kind === 'placed' && next.key, keyA, 'a and b both carry one namespace; a wins the tie by name');
});

test('nothing schedulable, or no Placement with a Location → unplaced', () => {
  assert.equal(decide(nsDeps([ns('web')], [st('a', false)]), ns('web')).kind, 'unplaced');
  assert.equal(decide(nsDeps([ns('web')], [st('a')], [placement('p', '2026-01-01T00:00:00Z')]), ns('web')).kind, 'unplaced');
  assert.equal(decide(nsDeps([ns('db', { app: 'db' })], [st('a')]), ns('db', { app: 'db' })).kind, 'unplaced');
});

test('countInstances agrees with instancesOf and isSchedulable; a bad selector counts nothing', () => {
  const now = Date.parse('2026-06-01T00:00:00Z');
  const targets = [
    st('a'),
    st('b', false),
    st('c', true, { unschedulable: true }),
    st('d', true, { evictAfter: '2026-05-31T00:00:00Z' }),
    { ...st('e'), metadata: { name: 'e', annotations: ann(), labels: { region: 'us' } } },
  ];
  const eu: Location = { ...location('eu'), spec: { resource: ST_GVR, instanceSelector: { matchLabels: { region: 'eu' } } } };
  const picked = instancesOf(eu, targets);
  assert.deepEqual(countInstances(eu, targets, now), { instances: picked.length, availableInstances: picked.filter((t) => isSchedulable(t, now)).length });
  assert.deepEqual(countInstances(eu, targets, now), { instances: 4, availableInstances: 1 });
  assert.deepEqual(countInstances(location('all'), targets, now), { instances: 5, availableInstances: 2 });
  const bad: Location = { ...location('bad'), spec: { resource: ST_GVR, instanceSelector: { matchExpressions: [{ key: 'region', operator: 'Bogus', values: [] }] } } };
  assert.deepEqual(countInstances(bad, targets, now), { instances: 0, availableInstances: 0 });
});
