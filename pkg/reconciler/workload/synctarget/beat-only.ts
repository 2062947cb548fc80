// Whether an update of a SyncTarget is nothing but another heartbeat. A syncer rewrites
// status.lastSyncerHeartbeatTime every period; everything this controller derives from a beat
// is decided elsewhere — a beat that changes the heartbeat verdict arrives as the heartbeat
// controller's condition write — so re-running the whole reconcile for each beat would only
// spend the CPU the API server needs to take the next beats (issue 15: in-process controllers
// cut heartbeat ingest several-fold). The first beat also turns SyncerDeployed True for a
// syncer deployed by hand: with the heartbeat controller beside this one, that controller
// writes it with the first verdict (manualDeployCondition), so the first beat is filtered too;
// both reacting to it made two identical writes race, one of them a 409 (~1 per SyncTarget in
// a fleet's first beats). Without it, the first beat must reach this controller.
//
// With the heartbeat controller beside this one, its own writes are filtered as well
// (verdictOnlyChange): a status write that changes nothing but the heartbeat verdict
// (HeartbeatHealthy, and Ready, phase and a hand-deployed target's SyncerDeployed derived from
// it by this package's own functions) is what this controller would have written itself.
// Reconciling each one re-ran every step for nothing, twice per target in a fleet's beat-and-
// stale cycle; and by the time this controller's queue reached a target its cache could be one
// write behind, so its identical write came back 409 (~1,300 per 10,000 targets going stale,
// all in the detection window: issue 15, seventh round).
import { isDeepStrictEqual } from 'node:util';
import type { Condition } from '../../../conditions/conditions.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { manualDeployCondition } from './reconcile-deploy.ts';
import { COND_HEARTBEAT, COND_READY, COND_SYNCER_DEPLOYED } from './types.ts';

/** The object without what every beat changes: resourceVersion, managedFields, the beat time. */
function withoutBeat(st: SyncTarget): unknown {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = st.metadata;
  const { lastSyncerHeartbeatTime: _beat, ...status } = st.status ?? {};
  return { ...st, metadata, status };
}

export function beatOnlyChange(before: SyncTarget, after: SyncTarget, opts: { firstBeat?: boolean } = {}): boolean {
  if (!after.status?.lastSyncerHeartbeatTime) return false;
  if (!before.status?.lastSyncerHeartbeatTime && !opts.firstBeat) return false;
  return isDeepStrictEqual(withoutBeat(before), withoutBeat(after));
}

/**
 * Is SyncerDeployed what the heartbeat controller writes for a target deployed by hand, the
 * pure function of its beat (reconcile-deploy.ts manualDeployCondition)? Then this controller's
 * deploy step would set the same.
 */
function deployedAsManual(st: SyncTarget, connected: boolean): boolean {
  if (st.spec?.kubeconfigSecretRef) return false;
  const stored = (st.status?.conditions as Condition[] | undefined)?.find((c) => c.type === COND_SYNCER_DEPLOYED);
  const expected = manualDeployCondition(st, connected);
  return stored !== undefined && stored.status === expected.status && stored.reason === expected.reason && stored.message === expected.message;
}

/** The object without the heartbeat verdict and what every write changes. */
function withoutVerdict(st: SyncTarget, dropDeployed: boolean): unknown {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = st.metadata;
  const { lastSyncerHeartbeatTime: _beat, phase: _phase, conditions, ...status } = st.status ?? {};
  const verdict = new Set([COND_HEARTBEAT, COND_READY, ...(dropDeployed ? [COND_SYNCER_DEPLOYED] : [])]);
  const rest = ((conditions ?? []) as Condition[]).filter((c) => !verdict.has(c.type));
  return { ...st, metadata, status: { ...status, conditions: rest } };
}

/**
 * Whether an update changed only the heartbeat verdict: a beat, HeartbeatHealthy, and what is
 * derived from them (Ready, phase, SyncerDeployed of a target deployed by hand, when it is what
 * the beat implies). For use only while the heartbeat controller runs beside this one: it owns
 * those writes and summarises Ready with this package's summariseReady. `connected` says
 * whether a syncer has beaten (heartbeat/judge.ts heartbeatOf: by status or by Lease).
 */
export function verdictOnlyChange(before: SyncTarget, after: SyncTarget, connected: (st: SyncTarget) => boolean = (st) => Boolean(st.status?.lastSyncerHeartbeatTime)): boolean {
  if (before.metadata.deletionTimestamp || after.metadata.deletionTimestamp) return false;
  const dropDeployed = deployedAsManual(after, connected(after));
  return isDeepStrictEqual(withoutVerdict(before, dropDeployed), withoutVerdict(after, dropDeployed));
}
