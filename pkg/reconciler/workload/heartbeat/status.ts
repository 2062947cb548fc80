// The heartbeat controller's status write: HeartbeatHealthy (which it alone sets) and the
// Ready/phase summary derived from it through the SyncTarget controller's own summariseReady,
// so both writers compute identical bytes for identical conditions. Nothing is sent when the
// result deep-equals what is stored; otherwise a PUT to /status carrying the resourceVersion
// read (a concurrent write by the SyncTarget controller is a 409 and a retry on this queue,
// never a lost update). Events for changed conditions as the SyncTarget controller records them.
import type { Condition } from '../../../conditions/conditions.ts';
import type { SyncTarget, SyncTargetStatus } from '../../../client/index.ts';
import { recordTransitions, statusChanged } from '../synctarget/status.ts';
import type { HeartbeatDeps } from './types.ts';

/** Write `status` if it differs from what `original` carries. Returns whether a write happened. */
export async function commitHeartbeatStatus(deps: HeartbeatDeps, cluster: string, original: SyncTarget, status: SyncTargetStatus, signal: AbortSignal): Promise<boolean> {
  if (!statusChanged(original.status, status)) return false;
  const body: SyncTarget = { ...original, metadata: { ...original.metadata }, status };
  const updated = await deps.clusterClient.cluster(cluster).syncTargets().updateStatus(body, { signal });
  recordTransitions(deps.recorder, updated, original.status?.conditions as Condition[] | undefined, status.conditions as Condition[]);
  return true;
}
