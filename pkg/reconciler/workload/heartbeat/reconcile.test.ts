import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncTarget } from '../../../client/index.ts';
import { falseCondition, getCondition, setCondition, trueCondition } from '../../../conditions/conditions.ts';
import { listerOf, syncTarget } from '../synctarget/testing.ts';
import { StatusError } from '../../../apierrors/errors.ts';
import { HeartbeatTracker } from './heartbeat-tracker.ts';
import { reconcileHeartbeat } from './reconcile.ts';
import type { HeartbeatDeps } from './types.ts';
import { formatTime } from '../../../../apis/meta/v1/time.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const KEY = 'root:org|edge';

function metav1(ms: number): string {
  return formatTime(new Date(ms));
}

/** Deps over one stored SyncTarget; status writes update it (new resourceVersion), as the server would. */
function world(initial: SyncTarget) {
  const clock = { now: T0 };
  const writes: SyncTarget[] = [];
  const events: string[] = [];
  let stored = initial;
  let renewTime: string | undefined;
  const deps = (): HeartbeatDeps => ({
    clusterClient: {
      cluster: () => ({
        syncTargets: () => ({
          updateStatus: async (st: SyncTarget) => {
            writes.push(st);
            stored = { ...st, metadata: { ...st.metadata, resourceVersion: String(Number(st.metadata.resourceVersion) + 1) } };
            return stored;
          },
        }),
      }),
    } as never,
    syncTargets: listerOf([stored]),
    recorder: { event: async (_o, type, reason) => void events.push(`${type}/${reason}`) },
    now: () => clock.now,
    thresholdMs: 60_000,
    heartbeats: tracker,
    leaseOf: () => (renewTime === undefined ? undefined : { spec: { renewTime } }),
  });
  const tracker = new HeartbeatTracker();
  return {
    clock,
    writes,
    events,
    /** The syncer beats: the stored object gets a new beat value. */
    beat(value: string) {
      stored = { ...stored, status: { ...stored.status, lastSyncerHeartbeatTime: value }, metadata: { ...stored.metadata, resourceVersion: String(Number(stored.metadata.resourceVersion) + 1) } };
    },
    /** The syncer renews its heartbeat Lease (the SyncTarget itself is not written). */
    renew(value: string) {
      renewTime = value;
    },
    stored: () => stored,
    reconcile: () => reconcileHeartbeat(deps(), KEY),
  };
}

function deployed(): SyncTarget {
  const conditions: never[] = [];
  setCondition(conditions, trueCondition('Valid'), T0);
  setCondition(conditions, trueCondition('SyncerDeployed'), T0);
  // Written by the SyncTarget controller's first status (it always carries Ready).
  setCondition(conditions, falseCondition('Ready', 'Deploying', 'Info', 'first status'), T0);
  return syncTarget({ status: { conditions } });
}

test('a new target with no beat and no status from the SyncTarget controller yet: nothing written (its first status carries the verdict)', async () => {
  const w = world(syncTarget());
  const out = await w.reconcile();
  assert.deepEqual(out.result, {});
  assert.equal(w.writes.length, 0);
  // A beat arriving before that first status is judged at once.
  w.beat(metav1(T0));
  await w.reconcile();
  assert.equal(w.writes.length, 1);
  assert.equal(getCondition(w.stored().status?.conditions, 'HeartbeatHealthy')?.status, 'True');
});

test('first beat of a syncer deployed by hand: one write turns SyncerDeployed, HeartbeatHealthy and Ready True', async () => {
  const conditions: never[] = [];
  setCondition(conditions, trueCondition('Valid'), T0);
  setCondition(conditions, falseCondition('SyncerDeployed', 'AwaitingManualDeployment', 'Info', 'No syncer has connected yet'), T0);
  setCondition(conditions, falseCondition('HeartbeatHealthy', 'ErrorHeartbeat', 'Error', 'No heartbeat yet seen'), T0);
  setCondition(conditions, falseCondition('Ready', 'AwaitingManualDeployment', 'Info', 'first status'), T0);
  const w = world(syncTarget({ status: { conditions } }));
  w.beat(metav1(T0));
  const out = await w.reconcile();
  assert.deepEqual(out.result, { requeueAfter: 60_000 });
  assert.equal(w.writes.length, 1);
  const cond = (t: string) => getCondition(w.stored().status?.conditions, t);
  assert.deepEqual([cond('SyncerDeployed')?.status, cond('SyncerDeployed')?.reason], ['True', 'SyncerConnected']);
  assert.equal(cond('HeartbeatHealthy')?.status, 'True');
  assert.equal(cond('Ready')?.status, 'True');
  assert.equal(w.stored().status?.phase, 'Ready');
  await w.reconcile();
  assert.equal(w.writes.length, 1, 'nothing left to write');
});

test('a target deployed through its kubeconfig Secret: SyncerDeployed stays the SyncTarget controller\'s', async () => {
  const conditions: never[] = [];
  setCondition(conditions, trueCondition('Valid'), T0);
  setCondition(conditions, falseCondition('SyncerDeployed', 'AwaitingManualDeployment', 'Info', 'x'), T0);
  const w = world(syncTarget({ spec: { cluster: 'phys', kubeconfigSecretRef: { namespace: 'default', name: 'kc' } }, status: { conditions } }));
  w.beat(metav1(T0));
  await w.reconcile();
  assert.equal(getCondition(w.stored().status?.conditions, 'SyncerDeployed')?.status, 'False');
  assert.equal(getCondition(w.stored().status?.conditions, 'HeartbeatHealthy')?.status, 'True');
});

test('no heartbeat yet → HeartbeatHealthy=False, Ready follows, no requeue; unchanged next time → no write', async () => {
  const w = world(deployed());
  const out = await w.reconcile();
  assert.deepEqual(out.result, {});
  const c = getCondition(w.stored().status?.conditions, 'HeartbeatHealthy');
  assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'ErrorHeartbeat', 'No heartbeat yet seen']);
  assert.equal(getCondition(w.stored().status?.conditions, 'Ready')?.reason, 'ErrorHeartbeat');
  assert.equal(w.stored().status?.phase, 'NotReady');
  assert.equal(w.writes.length, 1);
  assert.equal(w.writes[0]!.metadata.resourceVersion, '10', 'the write carries the resourceVersion read');
  w.clock.now += 10_000;
  await w.reconcile();
  assert.equal(w.writes.length, 1, 'nothing changed: nothing written');
});

test('fresh beat → True and Ready, a requeue exactly when it turns stale; then stale → False on time', async () => {
  const w = world(deployed());
  w.beat(metav1(T0));
  const out = await w.reconcile();
  assert.deepEqual(out.result, { requeueAfter: 60_000 });
  assert.equal(getCondition(w.stored().status?.conditions, 'Ready')?.status, 'True');
  assert.equal(w.stored().status?.phase, 'Ready');
  w.clock.now = T0 + 59_999;
  assert.deepEqual((await w.reconcile()).result, { requeueAfter: 1 });
  w.clock.now = T0 + 60_000;
  assert.deepEqual((await w.reconcile()).result, {});
  const c = getCondition(w.stored().status?.conditions, 'HeartbeatHealthy');
  assert.deepEqual([c?.status, c?.message, c?.lastTransitionTime], ['False', `No heartbeat since ${metav1(T0)}`, metav1(T0 + 60_000)]);
  assert.equal(getCondition(w.stored().status?.conditions, 'Ready')?.status, 'False');
  assert.ok(w.events.includes('Warning/ErrorHeartbeat'));
});

for (const [label, skewMs] of [['5 minutes behind', -5 * 60_000], ['5 minutes ahead', 5 * 60_000]] as const) {
  test(`a syncer clock ${label}, beating every 20s, stays Ready; it goes stale a threshold after its last beat`, async () => {
    const w = world(deployed());
    for (let i = 0; i < 10; i++) {
      w.clock.now = T0 + i * 20_000;
      w.beat(metav1(T0 + skewMs + i * 20_000));
      assert.deepEqual((await w.reconcile()).result, { requeueAfter: 60_000 }, `beat ${i}`);
      assert.equal(getCondition(w.stored().status?.conditions, 'Ready')?.status, 'True', `beat ${i}`);
    }
    w.clock.now = T0 + 9 * 20_000 + 60_000;
    await w.reconcile();
    assert.equal(getCondition(w.stored().status?.conditions, 'HeartbeatHealthy')?.status, 'False', 'no credit from the timestamp itself');
  });
}

test('beats by Lease: renewals keep the target Ready without status writes; when they stop, False on time', async () => {
  const w = world(deployed());
  w.beat(metav1(T0));
  await w.reconcile();
  assert.equal(w.writes.length, 1);
  // The syncer now only renews its Lease; status.lastSyncerHeartbeatTime stays as it was.
  for (let i = 1; i <= 3; i++) {
    w.clock.now = T0 + i * 50_000;
    w.renew(`2026-01-01T00:0${i}:00.000000Z`);
    const out = await w.reconcile();
    assert.deepEqual(out.result, { requeueAfter: 60_000 }, `renewal ${i}: the deadline moves to a threshold after it`);
    assert.equal(getCondition(w.stored().status?.conditions, 'HeartbeatHealthy')?.status, 'True');
  }
  assert.equal(w.writes.length, 1, 'renewals write nothing to the SyncTarget');
  w.clock.now = T0 + 150_000 + 60_000;
  await w.reconcile();
  const c = getCondition(w.stored().status?.conditions, 'HeartbeatHealthy');
  assert.deepEqual([c?.status, c?.message], ['False', 'No heartbeat since 2026-01-01T00:03:00.000000Z']);
  assert.equal(w.stored().status?.phase, 'NotReady');
});

test('a Lease alone (no status beat) is a first beat too: a syncer deployed by hand is connected', async () => {
  const conditions: never[] = [];
  setCondition(conditions, trueCondition('Valid'), T0);
  setCondition(conditions, falseCondition('SyncerDeployed', 'AwaitingManualDeployment', 'Info', 'No syncer has connected yet'), T0);
  setCondition(conditions, falseCondition('Ready', 'AwaitingManualDeployment', 'Info', 'first status'), T0);
  const w = world(syncTarget({ status: { conditions } }));
  w.renew('2026-01-01T00:00:00.000000Z');
  const out = await w.reconcile();
  assert.deepEqual(out.result, { requeueAfter: 60_000 });
  assert.equal(w.writes.length, 1, 'one write carries the whole verdict');
  const cond = (t: string) => getCondition(w.stored().status?.conditions, t);
  assert.deepEqual([cond('SyncerDeployed')?.status, cond('SyncerDeployed')?.reason], ['True', 'SyncerConnected']);
  assert.equal(cond('HeartbeatHealthy')?.status, 'True');
  assert.equal(w.stored().status?.phase, 'Ready');
});

test('a SyncTarget being deleted is left to the SyncTarget controller', async () => {
  const st = deployed();
  st.metadata.deletionTimestamp = metav1(T0);
  const w = world(st);
  assert.equal((await w.reconcile()).summary, 'being deleted');
  assert.equal(w.writes.length, 0);
});

test('Ready summarises the other controller’s conditions too: SyncerDeployed=False keeps Ready False with a fresh beat', async () => {
  const conditions: never[] = [];
  setCondition(conditions, trueCondition('Valid'), T0);
  setCondition(conditions, { type: 'SyncerDeployed', status: 'False', reason: 'ClusterUnreachable', severity: 'Error', message: 'x' }, T0);
  const w = world(syncTarget({ status: { conditions } }));
  w.beat(metav1(T0));
  await w.reconcile();
  assert.equal(getCondition(w.stored().status?.conditions, 'HeartbeatHealthy')?.status, 'True');
  assert.equal(getCondition(w.stored().status?.conditions, 'Ready')?.reason, 'ClusterUnreachable');
  assert.equal(w.stored().status?.phase, 'Deploying');
});

test('a conflicting status write is no failure: the newer version is reconciled next (controller.ts puts it first)', async () => {
  const conflicting = deployed();
  conflicting.status = { ...conflicting.status, lastSyncerHeartbeatTime: metav1(T0) };
  const deps: HeartbeatDeps = {
    clusterClient: {
      cluster: () => ({ syncTargets: () => ({ updateStatus: async () => Promise.reject(new StatusError('Conflict', 'the object has been modified', undefined, 409)) }) }),
    } as never,
    syncTargets: listerOf([conflicting]),
    recorder: { event: async () => undefined },
    now: () => T0,
    thresholdMs: 60_000,
    heartbeats: new HeartbeatTracker(),
  };
  const out = await reconcileHeartbeat(deps, KEY);
  assert.deepEqual(out.result, {}, 'no error, so no rate-limited retry');
  assert.equal(out.wroteStatus, false);
  assert.match(out.summary, /conflict/);
  assert.equal(out.conflictedAt, conflicting.metadata.resourceVersion, 'the version that lost, for the controller to judge the newer one first');
  // Anything else still fails the reconcile.
  deps.clusterClient = { cluster: () => ({ syncTargets: () => ({ updateStatus: async () => Promise.reject(new StatusError('InternalError', 'boom', undefined, 500)) }) }) } as never;
  await assert.rejects(reconcileHeartbeat(deps, KEY), /boom/);
});
