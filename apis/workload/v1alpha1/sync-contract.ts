// The wire contract between kplane's scheduling controllers, its API server's syncer view and
// kplane-syncer, with kcp TMC's names where kcp defined them. One place, so the three sides
// cannot drift apart.

/**
 * Finalizer a syncer puts on an upstream object when it first syncs it down, and removes once
 * the downstream copy is gone (upstream deletion, or the object leaving its SyncTarget).
 */
export const SYNCER_FINALIZER_PREFIX = 'workload.kcp.io/syncer-';

export function syncerFinalizer(syncTargetKey: string): string {
  return `${SYNCER_FINALIZER_PREFIX}${syncTargetKey}`;
}

/**
 * Set (RFC 3339 time) by the scheduling controllers on a namespace and its objects that must
 * leave the SyncTarget with this key (unscheduled, rescheduled, drained). The state label stays
 * until the syncer has removed the downstream copy; the syncer then drops its finalizer, the
 * state label and this annotation in one write.
 */
export const DELETION_ANNOTATION_PREFIX = 'deletion.internal.workload.kcp.io/';

export function deletionAnnotation(syncTargetKey: string): string {
  return `${DELETION_ANNOTATION_PREFIX}${syncTargetKey}`;
}

/** Annotation on a downstream namespace naming the upstream namespace it mirrors (JSON). */
export const NAMESPACE_LOCATOR_ANNOTATION = 'kcp.io/namespace-locator';

export interface NamespaceLocator {
  syncTarget: { cluster: string; name: string; uid: string };
  /** The upstream workspace (logical cluster path). */
  cluster: string;
  /** The upstream namespace. */
  namespace: string;
}

/**
 * Root of the syncer view of one SyncTarget: under it the usual `/clusters/<path|*>/api…`
 * tree, showing only objects labelled `state.workload.kcp.io/<key>` for this SyncTarget and
 * usable only by its syncer identity (and system:masters).
 */
export function syncerViewPath(syncTargetWorkspace: string, syncTargetName: string, syncTargetUID: string): string {
  return `/services/syncer/${syncTargetWorkspace}/${syncTargetName}/${syncTargetUID}`;
}
