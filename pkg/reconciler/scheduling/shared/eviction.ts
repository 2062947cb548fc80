// When namespaces must leave a SyncTarget (rescheduling) and when the controllers may finish a
// departure its syncer cannot (the fallback): pure verdicts over a cached SyncTarget and the
// clock, each with the moment it would change, so a controller requeues exactly then instead
// of polling.
//
// "Syncer down" is HeartbeatHealthy not True (the sync contract's meaning of not Ready): a
// SyncTarget whose Ready is False only because kplane cannot deploy to the physical cluster
// still has a syncer heartbeating, which keeps syncing and cleaning up.
import type { Condition } from '../../../conditions/conditions.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { COND_HEARTBEAT, COND_READY } from '../../workload/synctarget/types.ts';

/** Milliseconds since the epoch at which the syncer stopped beating; undefined while it beats. */
export function syncerDownSince(st: SyncTarget): number | undefined {
  const conditions = (st.status?.conditions ?? []) as Condition[];
  // Ready summarises HeartbeatHealthy; it stands in only where HeartbeatHealthy was never written.
  const c = conditions.find((x) => x.type === COND_HEARTBEAT) ?? conditions.find((x) => x.type === COND_READY);
  if (c?.status === 'True') return undefined;
  const since = Date.parse(c?.lastTransitionTime ?? st.metadata.creationTimestamp ?? '');
  return Number.isFinite(since) ? since : 0;
}

/** A verdict that is due now, or not yet (and then `at`, if it will become due by itself). */
export type Verdict = { due: true; reason: string } | { due: false; at?: number };

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * Must the namespaces placed on `st` move away? Yes when it is drained or cordoned with
 * `spec.evictAfter` passed, or its syncer has been down longer than the eviction grace.
 */
export function evictionOf(st: SyncTarget, nowMs: number, graceMs: number): Verdict {
  const name = st.metadata.name ?? '';
  const evictAfter = st.spec?.evictAfter ? Date.parse(st.spec.evictAfter) : NaN;
  if (Number.isFinite(evictAfter) && evictAfter <= nowMs) return { due: true, reason: `SyncTarget ${name} is evicting (spec.evictAfter ${st.spec!.evictAfter} has passed)` };
  const down = syncerDownSince(st);
  if (down !== undefined && down + graceMs <= nowMs) {
    return { due: true, reason: `SyncTarget ${name} has had no healthy heartbeat since ${new Date(down).toISOString()}, longer than the eviction grace (${graceMs / 1000}s)` };
  }
  const at = earliest(Number.isFinite(evictAfter) ? evictAfter : undefined, down !== undefined ? down + graceMs : undefined);
  return at !== undefined ? { due: false, at } : { due: false };
}

/**
 * May the controllers remove the finalizer, label and deletion annotation of key K themselves,
 * for a departure (or a deletion) that began at `sinceMs`? Yes when SyncTarget K no longer
 * exists, or its syncer is down and the departure is older than the eviction grace. While the
 * syncer beats it cleans up itself; that is never overtaken.
 */
export function fallbackOf(st: SyncTarget | undefined, sinceMs: number, nowMs: number, graceMs: number): Verdict {
  if (!st) return { due: true, reason: 'its SyncTarget no longer exists' };
  if (syncerDownSince(st) === undefined) return { due: false };
  const since = Number.isFinite(sinceMs) ? sinceMs : 0;
  if (since + graceMs <= nowMs) return { due: true, reason: `the syncer of SyncTarget ${st.metadata.name} has no healthy heartbeat and the departure is older than the eviction grace (${graceMs / 1000}s)` };
  return { due: false, at: since + graceMs };
}

/**
 * The parts of a SyncTarget scheduling decisions read. Heartbeats rewrite the SyncTarget every
 * period; comparing these instead of resourceVersions keeps a beat from re-running every
 * namespace placed on the target.
 */
export function schedulingView(st: SyncTarget): unknown {
  return {
    labels: st.metadata.labels ?? {},
    deleting: st.metadata.deletionTimestamp !== undefined,
    spec: st.spec ?? {},
    conditions: ((st.status?.conditions ?? []) as Condition[]).map((c) => [c.type, c.status, c.lastTransitionTime]),
    syncedResources: st.status?.syncedResources ?? [],
  };
}
