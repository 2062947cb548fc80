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
import { isDeepStrictEqual } from 'node:util';
import type { SyncTarget } from '../../../client/index.ts';

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
