// Metadata only kplane itself may write (kcp's reservedmetadata admission): the scheduling
// controllers' placement labels and deletion annotations, the syncers' finalizers and the
// SyncTarget key label. The syncer view trusts them — an object carrying
// `state.workload.kcp.io/<key>` is shown to that SyncTarget's syncer and copied to its physical
// cluster — so a tenant who could set them could push objects onto another tenant's cluster,
// or release a syncer's hold on an object before its downstream copy is gone. Like kube's
// system-owned fields, what a client merely leaves out is kept as stored; what it sets is refused.
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

/**
 * What a write would do to the reserved metadata, as field paths. `changed`: entries it adds or
 * gives another value (refused); `dropped`: stored entries it leaves out — a PUT of an object read
 * before a controller labelled it, a manifest re-applied without kplane's labels — which the
 * write keeps as stored instead of failing (withStoredReservedMetadata). `live` is undefined for
 * a create, where every reserved entry is a change.
 */
export function reservedMetadataEdits(live: MetadataLike | undefined, next: MetadataLike): { changed: string[]; dropped: string[] } {
  const changed: string[] = [];
  const dropped: string[] = [];
  const maps: [string, Record<string, string> | undefined, Record<string, string> | undefined, string[]][] = [
    ['labels', live?.labels, next.labels, RESERVED_LABEL_PREFIXES],
    ['annotations', live?.annotations, next.annotations, RESERVED_ANNOTATION_PREFIXES],
  ];
  for (const [field, before, after, prefixes] of maps) {
    const b = reservedEntries(before, prefixes);
    const a = reservedEntries(after, prefixes);
    for (const k of Object.keys(a).sort()) if (b[k] !== a[k]) changed.push(`metadata.${field}[${k}]`);
    for (const k of Object.keys(b).sort()) if (!(k in a)) dropped.push(`metadata.${field}[${k}]`);
  }
  const fb = reservedFinalizers(live?.finalizers);
  const fa = reservedFinalizers(next.finalizers);
  for (const f of fa) if (!fb.includes(f)) changed.push(`metadata.finalizers[${f}]`);
  for (const f of fb) if (!fa.includes(f)) dropped.push(`metadata.finalizers[${f}]`);
  return { changed, dropped };
}

/** `next`'s labels, annotations and finalizers with `live`'s reserved entries put back (fields neither has stay absent). */
export function withStoredReservedMetadata(live: MetadataLike, next: MetadataLike): MetadataLike {
  const out: MetadataLike = {};
  const labels = { ...next.labels, ...reservedEntries(live.labels, RESERVED_LABEL_PREFIXES) };
  if (next.labels || Object.keys(labels).length > 0) out.labels = labels;
  const annotations = { ...next.annotations, ...reservedEntries(live.annotations, RESERVED_ANNOTATION_PREFIXES) };
  if (next.annotations || Object.keys(annotations).length > 0) out.annotations = annotations;
  const finalizers = [...(next.finalizers ?? [])];
  for (const f of reservedFinalizers(live.finalizers)) if (!finalizers.includes(f)) finalizers.push(f);
  if (next.finalizers || finalizers.length > 0) out.finalizers = finalizers;
  return out;
}
