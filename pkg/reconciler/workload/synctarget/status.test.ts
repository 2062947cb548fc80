import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncTarget } from '../../../client/index.ts';
import { falseCondition, setCondition, trueCondition } from '../../../conditions/conditions.ts';
import { commitStatus, computeStatus, transitions } from './status.ts';
import { fakeDeps, stepContext, syncTarget } from './testing.ts';
import { HeartbeatTracker } from '../heartbeat/heartbeat-tracker.ts';

function recordingClient(calls: SyncTarget[]) {
  return {
    cluster: () => ({
      syncTargets: () => ({
        updateStatus: async (st: SyncTarget) => {
          calls.push(st);
          return { ...st, metadata: { ...st.metadata, resourceVersion: '11' } };
        },
      }),
    }),
  } as never;
}

test('Ready summarises, phase follows, and an unchanged status is not written again', async () => {
  const calls: SyncTarget[] = [];
  const events: string[] = [];
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const deps = fakeDeps(clock, { clusterClient: recordingClient(calls), recorder: { event: async (_o, type, reason) => void events.push(`${type}/${reason}`) } });
  const ctx = stepContext(syncTarget(), deps);
  setCondition(ctx.conditions, trueCondition('Valid'), clock.now);
  setCondition(ctx.conditions, trueCondition('SyncerDeployed'), clock.now);
  setCondition(ctx.conditions, falseCondition('HeartbeatHealthy', 'ErrorHeartbeat', 'Error', 'No heartbeat yet seen'), clock.now);
  computeStatus(ctx);
  assert.equal(ctx.draft.status?.phase, 'NotReady');
  assert.equal(ctx.draft.status?.conditions?.[0]?.type, 'Ready');
  assert.equal(ctx.draft.status?.conditions?.[0]?.reason, 'ErrorHeartbeat');
  assert.equal(ctx.draft.status?.observedGeneration, 1);
  assert.equal(await commitStatus(ctx), true);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.metadata.resourceVersion, '10', 'the write carries the RV read');
  assert.deepEqual(events, [], 'no Event for a new target: conditions appearing are no transition');

  // Next reconcile of the same world, a minute later: identical bytes, no write, no events.
  clock.now += 60_000;
  const stored: SyncTarget = { ...syncTarget(), status: calls[0]!.status! };
  const again = stepContext(stored, deps);
  setCondition(again.conditions, trueCondition('Valid'), clock.now);
  setCondition(again.conditions, trueCondition('SyncerDeployed'), clock.now);
  setCondition(again.conditions, falseCondition('HeartbeatHealthy', 'ErrorHeartbeat', 'Error', 'No heartbeat yet seen'), clock.now);
  computeStatus(again);
  events.length = 0;
  assert.equal(await commitStatus(again), false);
  assert.equal(calls.length, 1);
  assert.deepEqual(events, []);
});

test('phase: Deleting, Pending, Deploying, Ready', () => {
  const deps = fakeDeps({ now: 0 });
  const ctx = stepContext(syncTarget(), deps);
  setCondition(ctx.conditions, falseCondition('Valid', 'MissingCells', 'Error', 'x'), 0);
  computeStatus(ctx);
  assert.equal(ctx.draft.status?.phase, 'Pending');
  setCondition(ctx.conditions, trueCondition('Valid'), 0);
  setCondition(ctx.conditions, falseCondition('SyncerDeployed', 'AwaitingManualDeployment', 'Info', 'x'), 0);
  computeStatus(ctx);
  assert.equal(ctx.draft.status?.phase, 'Deploying');
  setCondition(ctx.conditions, trueCondition('SyncerDeployed'), 0);
  setCondition(ctx.conditions, trueCondition('HeartbeatHealthy'), 0);
  computeStatus(ctx);
  assert.equal(ctx.draft.status?.phase, 'Ready');
  assert.equal(ctx.draft.status?.conditions?.[0]?.status, 'True');
  const del = stepContext(syncTarget({ metadata: { ...syncTarget().metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), deps);
  computeStatus(del);
  assert.equal(del.draft.status?.phase, 'Deleting');
});

test('a new target with no beat gets its first HeartbeatHealthy from this status write; an existing one is left alone', () => {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const deps = fakeDeps(clock);
  const ctx = stepContext(syncTarget(), deps);
  setCondition(ctx.conditions, trueCondition('Valid'), clock.now);
  setCondition(ctx.conditions, trueCondition('SyncerDeployed'), clock.now);
  computeStatus(ctx);
  const hb = ctx.draft.status?.conditions?.find((c) => c.type === 'HeartbeatHealthy');
  assert.deepEqual([hb?.status, hb?.reason, hb?.message], ['False', 'ErrorHeartbeat', 'No heartbeat yet seen']);
  assert.equal(ctx.draft.status?.phase, 'NotReady');

  const healthy = stepContext(syncTarget(), deps);
  setCondition(healthy.conditions, trueCondition('HeartbeatHealthy'), clock.now);
  computeStatus(healthy);
  assert.equal(healthy.draft.status?.conditions?.find((c) => c.type === 'HeartbeatHealthy')?.status, 'True');
});

test('beside the heartbeat controller (shared judge), a beating target gets its current heartbeat verdict; without it HeartbeatHealthy is carried over', () => {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const beating = () => syncTarget({ status: { lastSyncerHeartbeatTime: '2026-01-01T00:00:00Z' } });
  const noHeartbeatYet = () => [falseCondition('HeartbeatHealthy', 'ErrorHeartbeat', 'Error', 'No heartbeat yet seen')];

  const alone = stepContext(beating(), fakeDeps(clock));
  alone.conditions.push(...noHeartbeatYet().map((c) => ({ ...c, lastTransitionTime: '2026-01-01T00:00:00Z' })));
  computeStatus(alone);
  assert.equal(alone.draft.status?.conditions?.find((c) => c.type === 'HeartbeatHealthy')?.status, 'False', 'carried over as stored');

  const heartbeats = new HeartbeatTracker();
  const judged = stepContext(beating(), fakeDeps(clock, { heartbeat: { heartbeats, thresholdMs: 60_000 } }));
  judged.conditions.push(...noHeartbeatYet().map((c) => ({ ...c, lastTransitionTime: '2026-01-01T00:00:00Z' })));
  computeStatus(judged);
  assert.equal(judged.draft.status?.conditions?.find((c) => c.type === 'HeartbeatHealthy')?.status, 'True', 'the fresh beat, judged');
  assert.equal(heartbeats.size, 1, 'observed in the shared tracker');

  // A threshold later with no new beat value, the same judge says stale.
  clock.now += 60_000;
  const later = stepContext(beating(), fakeDeps(clock, { heartbeat: { heartbeats, thresholdMs: 60_000 } }));
  computeStatus(later);
  assert.equal(later.draft.status?.conditions?.find((c) => c.type === 'HeartbeatHealthy')?.status, 'False');
});

test('transitions: turning False is news; turning True only as Ready recovering from a problem', () => {
  const at = (c: ReturnType<typeof trueCondition>) => ({ ...c, lastTransitionTime: '2026-01-01T00:00:00Z' });
  const waiting = [at(falseCondition('SyncerDeployed', 'AwaitingManualDeployment', 'Info', 'x')), at(falseCondition('HeartbeatHealthy', 'ErrorHeartbeat', 'Error', 'No heartbeat yet seen')), at(falseCondition('Ready', 'AwaitingManualDeployment', 'Info', 'x'))];
  const up = [at(trueCondition('SyncerDeployed')), at(trueCondition('HeartbeatHealthy')), at(trueCondition('Ready'))];
  assert.deepEqual(transitions(waiting, up), [], 'a target coming up (first beat) records nothing');
  const stale = [at(trueCondition('SyncerDeployed')), at(falseCondition('HeartbeatHealthy', 'ErrorHeartbeat', 'Error', 'No heartbeat since t')), at(falseCondition('Ready', 'ErrorHeartbeat', 'Error', 'No heartbeat since t'))];
  assert.deepEqual(transitions(up, stale).map((t) => `${t.type}=${t.to.status}`), ['Ready=False'], 'one Event for going stale (Ready says it for HeartbeatHealthy)');
  assert.deepEqual(transitions(stale, up).map((t) => `${t.type}=${t.to.status}`), ['Ready=True'], 'recovery from the problem');
});
