// The namespace scheduler's reconcile over literal caches, a fixed clock and a recording
// client: moving away from a drained or silent SyncTarget in ONE patch (new label, deletion
// annotation for the old key), dropping the label of a never-synced namespace, waiting for the
// grace with an exact recheck, staying put (once-told) when nowhere else is free, and the
// fallback finishing a departure without the syncer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toSyncTargetKey } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
import type { ClusterClient } from '../../../client/clusterclient.ts';
import type { KubeObject, Location, Placement, SyncTarget } from '../../../client/index.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import { Indexer } from '../../../informer/indexer.ts';
import type { SharedInformer } from '../../../informer/informer.ts';
import { Lister } from '../../../informer/lister.ts';
import { ConfigMapGVR } from '../../../client/gvr.ts';
import { reconcileNamespace } from './reconcile.ts';
import type { NamespaceDeps } from './types.ts';

const WS = 'root:org';
const ann = { 'kcp.io/cluster': WS };
const NOW = Date.parse('2026-06-01T00:10:00Z');
const GRACE = 60_000;
const KA = toSyncTargetKey(WS, 'a');
const KB = toSyncTargetKey(WS, 'b');
const S = (k: string) => `state.workload.kcp.io/${k}`;
const D = (k: string) => `deletion.internal.workload.kcp.io/${k}`;
const F = (k: string) => `workload.kcp.io/syncer-${k}`;
const ST_GVR = { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets' };

function listerOf<T extends KubeObject>(objs: T[]): Lister<T> {
  const idx = new Indexer<T>();
  for (const o of objs) idx.upsert(o);
  return new Lister(idx);
}

function st(name: string, opts: { healthy?: boolean; since?: string; evictAfter?: string; unschedulable?: boolean } = {}): SyncTarget {
  const status = opts.healthy === false ? 'False' : 'True';
  return {
    metadata: { name, annotations: ann, labels: { 'internal.workload.kcp.io/key': toSyncTargetKey(WS, name) } },
    spec: { cluster: name, ...(opts.evictAfter ? { evictAfter: opts.evictAfter } : {}), ...(opts.unschedulable ? { unschedulable: true } : {}) },
    status: { conditions: [
      { type: 'Ready', status, lastTransitionTime: opts.since ?? '2026-06-01T00:00:00Z' },
      { type: 'HeartbeatHealthy', status, lastTransitionTime: opts.since ?? '2026-06-01T00:00:00Z' },
    ] },
  };
}

const placement: Placement = {
  metadata: { name: 'p', annotations: ann, creationTimestamp: '2026-01-01T00:00:00Z', uid: 'p-uid' },
  spec: { locationResource: ST_GVR, locationSelectors: [{}], namespaceSelector: { matchLabels: { app: 'web' } } },
  status: { phase: 'Bound', selectedLocation: { path: WS, locationName: 'default' } },
};
const location: Location = { metadata: { name: 'default', annotations: ann }, spec: { resource: ST_GVR, instanceSelector: {} } };

function ns(labels: Record<string, string>, annotations: Record<string, string> = {}, finalizers: string[] = []): KubeObject {
  return { metadata: { name: 'web', uid: 'ns-uid', resourceVersion: '5', annotations: { ...ann, ...annotations }, labels: { app: 'web', ...labels }, finalizers } };
}

interface Harness {
  deps: NamespaceDeps;
  patches: unknown[];
  events: string[];
}

function harness(namespace: KubeObject, targets: SyncTarget[], objects: KubeObject[] = []): Harness {
  const patches: unknown[] = [];
  const events: string[] = [];
  const client = {
    cluster: () => ({ namespaces: () => ({ patch: async (_n: string, _t: string, body: unknown) => { patches.push(body); return namespace; } }) }),
  } as unknown as ClusterClient;
  const recorder: EventRecorder = { event: async (o, type, reason, message) => { events.push(`${o.metadata.name} ${type} ${reason}: ${message}`); } };
  const idx = new Indexer<KubeObject>();
  for (const o of objects) idx.upsert(o);
  const informer = { indexer: idx, hasSynced: () => true } as unknown as SharedInformer<KubeObject>;
  return {
    patches,
    events,
    deps: {
      clusterClient: client,
      namespaces: listerOf([namespace]),
      placements: listerOf([placement]),
      locations: listerOf([location]),
      syncTargets: listerOf(targets),
      synced: { types: () => [{ gvr: ConfigMapGVR, informer }], hasSynced: () => true },
      recorder,
      now: () => NOW,
      evictionGraceMs: GRACE,
      assumed: new Map(),
      blocked: new Map(),
    },
  };
}

const signal = new AbortController().signal;
const KEY = `${WS}|web`;
const syncedCM: KubeObject = { metadata: { name: 'cfg', namespace: 'web', annotations: ann, labels: { [S(KA)]: 'Sync' }, finalizers: [F(KA)] } };

test('drained: moves to the other SyncTarget in one patch, the old key annotated for deletion (a synced object holds it)', async () => {
  const h = harness(ns({ [S(KA)]: 'Sync' }), [st('a', { evictAfter: '2026-06-01T00:09:59Z' }), st('b')], [syncedCM]);
  const out = await reconcileNamespace(h.deps, KEY, signal);
  assert.deepEqual(h.patches, [{ metadata: { resourceVersion: '5', labels: { [S(KB)]: 'Sync' }, annotations: { [D(KA)]: '2026-06-01T00:10:00Z' } } }]);
  assert.match(out.summary, /rescheduled/);
  assert.equal(h.events.length, 2);
  assert.match(h.events[0]!, new RegExp(`^web Normal Rescheduled: Moved from SyncTarget a of workspace ${WS} \\(key ${KA}\\) to SyncTarget b of workspace ${WS} \\(key ${KB}\\): SyncTarget a is evicting`));
  assert.match(h.events[1]!, /^p Normal Rescheduled: Namespace web: Moved from SyncTarget a/);
});

test('a namespace nothing of which was synced loses the old label at once', async () => {
  const h = harness(ns({ [S(KA)]: 'Sync' }), [st('a', { evictAfter: '2026-06-01T00:09:59Z' }), st('b')]);
  await reconcileNamespace(h.deps, KEY, signal);
  assert.deepEqual(h.patches, [{ metadata: { resourceVersion: '5', labels: { [S(KA)]: null, [S(KB)]: 'Sync' } } }]);
});

test('a silent syncer: nothing before the grace (recheck exactly then), a move after it', async () => {
  const early = harness(ns({ [S(KA)]: 'Sync' }), [st('a', { healthy: false, since: '2026-06-01T00:09:30Z' }), st('b')], [syncedCM]);
  const waiting = await reconcileNamespace(early.deps, KEY, signal);
  assert.deepEqual(early.patches, []);
  assert.equal(waiting.recheckAt, Date.parse('2026-06-01T00:10:30Z'));
  const late = harness(ns({ [S(KA)]: 'Sync' }), [st('a', { healthy: false, since: '2026-06-01T00:08:00Z' }), st('b')], [syncedCM]);
  await reconcileNamespace(late.deps, KEY, signal);
  assert.deepEqual(late.patches, [{ metadata: { resourceVersion: '5', labels: { [S(KB)]: 'Sync' }, annotations: { [D(KA)]: '2026-06-01T00:10:00Z' } } }]);
  assert.match(late.events[0]!, /Rescheduled: .*no healthy heartbeat since 2026-06-01T00:08:00\.000Z, longer than the eviction grace \(60s\)/);
});

test('evicted with nowhere to go: it stays, and says so once', async () => {
  const h = harness(ns({ [S(KA)]: 'Sync' }), [st('a', { evictAfter: '2026-06-01T00:09:59Z' }), st('b', { unschedulable: true })], [syncedCM]);
  await reconcileNamespace(h.deps, KEY, signal);
  await reconcileNamespace(h.deps, KEY, signal);
  assert.deepEqual(h.patches, []);
  assert.equal(h.events.filter((e) => / RescheduleBlocked: /.test(e)).length, 2, 'one on the namespace, one on the Placement, not repeated');
  assert.match(h.events[0]!, /^web Warning RescheduleBlocked: SyncTarget a is evicting .* no other Ready, schedulable SyncTarget of Location default/);
});

test('the fallback: the old SyncTarget deleted → label, annotation and finalizer removed from the namespace', async () => {
  const leaving = ns({ [S(KA)]: 'Sync', [S(KB)]: 'Sync' }, { [D(KA)]: '2026-06-01T00:09:00Z' }, [F(KA), 'keep/me']);
  const h = harness(leaving, [st('b')]);
  await reconcileNamespace(h.deps, KEY, signal);
  assert.deepEqual(h.patches, [{ metadata: { resourceVersion: '5', labels: { [S(KA)]: null }, annotations: { [D(KA)]: null }, finalizers: ['keep/me'] } }]);
  assert.match(h.events.join('\n'), /DepartureFinishedWithoutSyncer: .*its SyncTarget no longer exists/);
  // A live syncer of a leaving key is never overtaken, and a leaving key is no candidate.
  const alive = harness(leaving, [st('a'), st('b')]);
  const out = await reconcileNamespace(alive.deps, KEY, signal);
  assert.deepEqual(alive.patches, []);
  assert.equal(out.recheckAt, undefined);
});
