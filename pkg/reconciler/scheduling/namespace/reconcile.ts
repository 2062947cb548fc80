// The namespace scheduler's reconcile: decide (decide.ts), then make the namespace's metadata
// say it with one merge patch carrying the resourceVersion read (a concurrent writer makes it
// a 409 and a retry):
//   - the chosen SyncTarget's `state.workload.kcp.io/<key>: Sync`;
//   - a SyncTarget it leaves (moved, unscheduled): the deletion annotation
//     `deletion.internal.workload.kcp.io/<key>` with the time, label kept for that syncer to
//     clean up and remove — in the same patch as the new label when moving. A namespace none
//     of whose objects that syncer has synced (no `workload.kcp.io/syncer-<key>` finalizer on
//     it or them) loses the label at once instead;
//   - the fallback: a departure whose SyncTarget is gone, or whose syncer has been down longer
//     than the eviction grace, is finished here (label, annotation, finalizer removed).
// Events on the namespace and the Placement: Scheduled, Rescheduled (naming the old and new
// SyncTarget), Unscheduled, RescheduleBlocked, DepartureFinishedWithoutSyncer. Terminating
// namespaces only get the fallback: their synced copies are cleaned up through the labels
// they still carry. The result asks to run again exactly when an eviction or a fallback
// becomes due.
import { formatTime } from '../../../../apis/meta/v1/time.ts';
import { clusterOf } from '../../../client/object.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { splitKey } from '../../../informer/keys.ts';
import { MetaPatch } from '../shared/leaving.ts';
import { currentKeys, decide, type Decision } from './decide.ts';
import { mayHaveSynced, planFallback } from './leave.ts';
import { type NamespaceDeps, STATE_SYNC } from './types.ts';

export interface NamespaceOutcome {
  summary: string;
  patched: boolean;
  /** Run again at this time (ms since the epoch). */
  recheckAt?: number;
  /** Run again soon: the caches of synced objects are still filling. */
  notSynced?: boolean;
}

function describe(st: SyncTarget | undefined, key: string): string {
  return st ? `SyncTarget ${st.metadata.name} of workspace ${clusterOf(st)} (key ${key})` : `the SyncTarget with key ${key}`;
}

export async function reconcileNamespace(deps: NamespaceDeps, key: string, signal: AbortSignal): Promise<NamespaceOutcome> {
  const { cluster, name } = splitKey(key);
  const ns = deps.namespaces.cluster(cluster).get(name);
  if (!ns) {
    deps.blocked.delete(key);
    return { summary: 'gone', patched: false };
  }
  // Whether a departure may drop the label at once depends on the objects' finalizers.
  if (!deps.synced.hasSynced()) return { summary: 'synced-object caches still filling', patched: false, notSynced: true };
  const now = deps.now();
  const patch = new MetaPatch(ns);
  const fallback = planFallback(deps, ns, patch, now);
  let decision: Decision | undefined;
  const left: string[] = [];
  if (!ns.metadata.deletionTimestamp) {
    decision = decide(deps, ns);
    const want = decision.kind === 'placed' ? [decision.key] : [];
    const stamp = formatTime(new Date(now));
    for (const k of currentKeys(ns)) {
      if (want.includes(k)) continue;
      left.push(k);
      if (mayHaveSynced(deps, ns, k)) patch.deletion(k, stamp);
      else patch.label(k, null);
    }
    for (const k of want) patch.label(k, STATE_SYNC);
  }
  const recheckAt = Math.min(fallback.recheckAt ?? Infinity, decision?.kind === 'placed' ? decision.recheckAt ?? Infinity : Infinity);
  const outcome = (summary: string, patched: boolean): NamespaceOutcome => ({ summary, patched, ...(Number.isFinite(recheckAt) ? { recheckAt } : {}) });

  let updated = ns;
  if (!patch.empty()) {
    updated = await deps.clusterClient.cluster(cluster).namespaces().patch(name, 'merge', patch.body(), { signal });
    if (decision) deps.assumed.set(key, decision.kind === 'placed' ? [decision.key] : []);
  }
  for (const f of fallback.done) {
    await deps.recorder.event(updated, 'Warning', 'DepartureFinishedWithoutSyncer',
      `Removed the placement on the SyncTarget with key ${f.key} (state label, deletion annotation, syncer finalizer) without its syncer: ${f.reason}`);
  }
  if (!decision) return outcome('terminating', !patch.empty());
  if (decision.kind === 'placed' && decision.blocked) {
    if (deps.blocked.get(key) !== decision.blocked) {
      deps.blocked.set(key, decision.blocked);
      await deps.recorder.event(updated, 'Warning', 'RescheduleBlocked', decision.blocked);
      await deps.recorder.event(decision.placement, 'Warning', 'RescheduleBlocked', `Namespace ${name}: ${decision.blocked}`);
    }
  } else deps.blocked.delete(key);
  const placementChanged = decision.kind === 'placed' ? !decision.kept : left.length > 0;
  if (!placementChanged) {
    return outcome(decision.kind === 'placed' ? `placed key=${decision.key}${decision.blocked ? ' (eviction blocked)' : ''}` : `unplaced: ${decision.reason}`, !patch.empty());
  }
  if (decision.kind === 'placed') {
    const where = describe(decision.syncTarget, decision.key);
    if (decision.from) {
      const from = describe(decision.from.syncTarget, decision.from.key);
      const message = `Moved from ${from} to ${where}: ${decision.from.reason}`;
      await deps.recorder.event(updated, 'Normal', 'Rescheduled', message);
      await deps.recorder.event(decision.placement, 'Normal', 'Rescheduled', `Namespace ${name}: ${message}`);
      return outcome(`rescheduled ${decision.from.key} → ${decision.key}`, true);
    }
    await deps.recorder.event(updated, 'Normal', 'Scheduled', `Placed on ${where} by Placement ${decision.placement.metadata.name}`);
    await deps.recorder.event(decision.placement, 'Normal', 'NamespaceScheduled', `Namespace ${name} placed on ${where}`);
    return outcome(`scheduled key=${decision.key}`, true);
  }
  await deps.recorder.event(updated, 'Normal', 'Unscheduled', `Removed from SyncTargets (keys ${left.join(', ')}): ${decision.reason}`);
  return outcome(`unscheduled: ${decision.reason}`, true);
}
