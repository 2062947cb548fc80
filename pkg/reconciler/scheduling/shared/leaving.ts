// What a namespace or object says about the SyncTargets it is on and leaving, read from the
// sync contract's metadata (apis/workload/v1alpha1/sync-contract.ts): a state label
// `state.workload.kcp.io/<key>` (on), a deletion annotation `deletion.internal.workload.kcp.io/<key>`
// (leaving: the syncer of <key> removes its copy, then the label), and the syncer's finalizer
// `workload.kcp.io/syncer-<key>` (the syncer has written a downstream copy).
import { DELETION_ANNOTATION_PREFIX, deletionAnnotation, SYNCER_FINALIZER_PREFIX, syncerFinalizer } from '../../../../apis/workload/v1alpha1/sync-contract.ts';
import { STATE_LABEL_PREFIX, stateLabelKey } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
import type { KubeObject } from '../../../client/object.ts';

/** Keys of every state label (any value). */
export function stateKeys(obj: KubeObject): string[] {
  return Object.keys(obj.metadata.labels ?? {}).filter((l) => l.startsWith(STATE_LABEL_PREFIX)).map((l) => l.slice(STATE_LABEL_PREFIX.length));
}

/** Keys the object is leaving, with the time the deletion annotation records (NaN when unparseable). */
export function leavingKeys(obj: KubeObject): Map<string, number> {
  const out = new Map<string, number>();
  for (const [a, v] of Object.entries(obj.metadata.annotations ?? {})) {
    if (a.startsWith(DELETION_ANNOTATION_PREFIX)) out.set(a.slice(DELETION_ANNOTATION_PREFIX.length), Date.parse(v));
  }
  return out;
}

/** Keys the object is on and not leaving: where it is placed now. */
export function activeKeys(obj: KubeObject): string[] {
  const leaving = leavingKeys(obj);
  return stateKeys(obj).filter((k) => !leaving.has(k));
}

/** Keys of the syncer finalizers the object carries. */
export function finalizerKeys(obj: KubeObject): string[] {
  return (obj.metadata.finalizers ?? []).filter((f) => f.startsWith(SYNCER_FINALIZER_PREFIX)).map((f) => f.slice(SYNCER_FINALIZER_PREFIX.length));
}

export function hasSyncerFinalizer(obj: KubeObject, key: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(syncerFinalizer(key));
}

/** Every key the object mentions in any of the three ways (an index value: which SyncTargets concern it). */
export function concernedKeys(obj: KubeObject): string[] {
  return [...new Set([...stateKeys(obj), ...leavingKeys(obj).keys(), ...finalizerKeys(obj)])];
}

/** Index name (namespaces and synced objects) whose values are concernedKeys. */
export const SYNC_KEY_INDEX = 'scheduling-sync-keys';

/**
 * The metadata changes one merge patch makes: labels and annotations (null removes), and the
 * whole finalizer list when it changes (a merge patch replaces lists).
 */
export class MetaPatch {
  readonly labels: Record<string, string | null> = {};
  readonly annotations: Record<string, string | null> = {};
  #finalizers: string[] | undefined;
  readonly #obj: KubeObject;

  constructor(obj: KubeObject) {
    this.#obj = obj;
  }

  label(key: string, value: string | null): void {
    if ((this.#obj.metadata.labels?.[stateLabelKey(key)] ?? null) !== value) this.labels[stateLabelKey(key)] = value;
  }

  deletion(key: string, value: string | null): void {
    if ((this.#obj.metadata.annotations?.[deletionAnnotation(key)] ?? null) !== value) this.annotations[deletionAnnotation(key)] = value;
  }

  dropFinalizer(key: string): void {
    const current = this.#finalizers ?? this.#obj.metadata.finalizers ?? [];
    if (current.includes(syncerFinalizer(key))) this.#finalizers = current.filter((f) => f !== syncerFinalizer(key));
  }

  /** Label, deletion annotation and finalizer for `key` all gone: what the syncer does after cleaning up. */
  forget(key: string): void {
    this.label(key, null);
    this.deletion(key, null);
    this.dropFinalizer(key);
  }

  empty(): boolean {
    return Object.keys(this.labels).length === 0 && Object.keys(this.annotations).length === 0 && this.#finalizers === undefined;
  }

  /** The merge patch, carrying the resourceVersion read (a concurrent writer makes it a 409 and a retry). */
  body(): { metadata: Record<string, unknown> } {
    return {
      metadata: {
        resourceVersion: this.#obj.metadata.resourceVersion,
        ...(Object.keys(this.labels).length > 0 ? { labels: this.labels } : {}),
        ...(Object.keys(this.annotations).length > 0 ? { annotations: this.annotations } : {}),
        ...(this.#finalizers !== undefined ? { finalizers: this.#finalizers } : {}),
      },
    };
  }
}
