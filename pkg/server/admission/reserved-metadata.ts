// Metadata only kplane itself may write (kcp's reservedmetadata admission): the scheduling
// controllers' placement labels and deletion annotations, the syncers' finalizers and the
// SyncTarget key label. The syncer view trusts them — an object carrying
// `state.workload.kcp.io/<key>` is shown to that SyncTarget's syncer and copied to its physical
// cluster — so a tenant who could set them could push objects onto another tenant's cluster,
// or release a syncer's hold on an object before its downstream copy is gone.
import { isDeepStrictEqual } from 'node:util';
import { DELETION_ANNOTATION_PREFIX, SYNCER_FINALIZER_PREFIX } from '../../../apis/workload/v1alpha1/sync-contract.ts';
import { STATE_LABEL_PREFIX } from '../../../apis/workload/v1alpha1/synctargetkey.ts';

const RESERVED_LABEL_PREFIXES = [STATE_LABEL_PREFIX, 'internal.workload.kcp.io/'];
const RESERVED_ANNOTATION_PREFIXES = [DELETION_ANNOTATION_PREFIX];
const RESERVED_FINALIZER_PREFIXES = [SYNCER_FINALIZER_PREFIX];

export interface MetadataLike {
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  finalizers?: string[] | undefined;
}

function reservedEntries(map: Record<string, string> | undefined, prefixes: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) if (prefixes.some((p) => k.startsWith(p))) out[k] = v;
  return out;
}

function reservedFinalizers(list: string[] | undefined): string[] {
  return (list ?? []).filter((f) => RESERVED_FINALIZER_PREFIXES.some((p) => f.startsWith(p))).sort();
}

function changedKeys(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}

/**
 * What a write changes of the reserved metadata, as field paths (empty: nothing). `live` is
 * undefined for a create, where any reserved entry counts as a change.
 */
export function reservedMetadataChanges(live: MetadataLike | undefined, next: MetadataLike): string[] {
  const out: string[] = [];
  for (const k of changedKeys(reservedEntries(live?.labels, RESERVED_LABEL_PREFIXES), reservedEntries(next.labels, RESERVED_LABEL_PREFIXES))) {
    out.push(`metadata.labels[${k}]`);
  }
  for (const k of changedKeys(reservedEntries(live?.annotations, RESERVED_ANNOTATION_PREFIXES), reservedEntries(next.annotations, RESERVED_ANNOTATION_PREFIXES))) {
    out.push(`metadata.annotations[${k}]`);
  }
  if (!isDeepStrictEqual(reservedFinalizers(live?.finalizers), reservedFinalizers(next.finalizers))) out.push('metadata.finalizers');
  return out;
}
