// The namespace scheduler's reconcile: decide (decide.ts), then make the namespace's
// `state.workload.kcp.io/<key>` labels say exactly that with one merge patch carrying the
// resourceVersion read (a concurrent writer makes it a 409 and a retry), and record Events on
// the namespace and the Placement when the placement changes. Terminating namespaces are left
// as they are: their synced copies are cleaned up through the labels they still carry.
import { stateLabelKey } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
import { clusterOf } from '../../../client/object.ts';
import { splitKey } from '../../../informer/keys.ts';
import { currentKeys, decide } from './decide.ts';
import { type NamespaceDeps, STATE_SYNC } from './types.ts';

export interface NamespaceOutcome {
  summary: string;
  patched: boolean;
}

export async function reconcileNamespace(deps: NamespaceDeps, key: string, signal: AbortSignal): Promise<NamespaceOutcome> {
  const { cluster, name } = splitKey(key);
  const ns = deps.namespaces.cluster(cluster).get(name);
  if (!ns) return { summary: 'gone', patched: false };
  if (ns.metadata.deletionTimestamp) return { summary: 'terminating', patched: false };
  const decision = decide(deps, ns);
  const have = currentKeys(ns);
  const want = decision.kind === 'placed' ? [decision.key] : [];
  const labels: Record<string, string | null> = {};
  for (const k of have) if (!want.includes(k)) labels[stateLabelKey(k)] = null;
  for (const k of want) if (ns.metadata.labels?.[stateLabelKey(k)] !== STATE_SYNC) labels[stateLabelKey(k)] = STATE_SYNC;
  if (Object.keys(labels).length === 0) return { summary: decision.kind === 'placed' ? `placed key=${decision.key}` : `unplaced: ${decision.reason}`, patched: false };

  const updated = await deps.clusterClient.cluster(cluster).namespaces().patch(name, 'merge', {
    metadata: { resourceVersion: ns.metadata.resourceVersion, labels },
  }, { signal });
  deps.assumed.set(key, want);
  if (decision.kind === 'placed') {
    const st = decision.syncTarget;
    const where = `SyncTarget ${st.metadata.name} of workspace ${clusterOf(st)} (key ${decision.key})`;
    await deps.recorder.event(updated, 'Normal', 'Scheduled', `Placed on ${where} by Placement ${decision.placement.metadata.name}`);
    await deps.recorder.event(decision.placement, 'Normal', 'NamespaceScheduled', `Namespace ${name} placed on ${where}`);
    return { summary: `scheduled key=${decision.key}`, patched: true };
  }
  await deps.recorder.event(updated, 'Normal', 'Unscheduled', `Removed from SyncTargets (keys ${have.join(', ')}): ${decision.reason}`);
  return { summary: `unscheduled: ${decision.reason}`, patched: true };
}
