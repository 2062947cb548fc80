// Reading kplane's placement of an upstream object for one SyncTarget key: the state label
// puts it there, the deletion annotation (or a deletionTimestamp) asks it to leave.
import { deletionAnnotation, syncerFinalizer } from '../../../apis/workload/v1alpha1/sync-contract.ts';
import { stateLabelKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import type { KubeObject } from '../../client/object.ts';

export function isLabelled(obj: KubeObject, key: string): boolean {
  return obj.metadata.labels?.[stateLabelKey(key)] !== undefined;
}

export function deletionRequested(obj: KubeObject, key: string): boolean {
  return obj.metadata.annotations?.[deletionAnnotation(key)] !== undefined;
}

/** Placed and staying: labelled, not asked to leave, not being deleted. */
export function isPlaced(obj: KubeObject, key: string): boolean {
  return isLabelled(obj, key) && !deletionRequested(obj, key) && !obj.metadata.deletionTimestamp;
}

export function hasFinalizer(obj: KubeObject, key: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(syncerFinalizer(key));
}
