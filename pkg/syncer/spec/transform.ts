// What of an upstream object goes down: the server-side apply body for the physical cluster.
// Upstream-only metadata is dropped (it means nothing there, or would be rejected: uid,
// resourceVersion, owner references to objects that do not exist downstream), as are the
// status (the physical cluster owns it) and kplane's placement labels and annotations.
import { CLUSTER_ANNOTATION, type KubeObject } from '../../client/object.ts';
import { DELETION_ANNOTATION_PREFIX } from '../../../apis/workload/v1alpha1/sync-contract.ts';
import { STATE_LABEL_PREFIX } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import { DOWNSTREAM_CLUSTER_LABEL } from '../shared/locator.ts';

/** Top-level fields never sent down. */
const DROPPED_FIELDS = new Set(['metadata', 'status', 'apiVersion', 'kind']);
/** Annotations that are upstream bookkeeping. */
const DROPPED_ANNOTATIONS = new Set([CLUSTER_ANNOTATION, 'kubectl.kubernetes.io/last-applied-configuration']);

export function downstreamLabels(labels: Record<string, string> | undefined, syncTargetKey: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) if (!k.startsWith(STATE_LABEL_PREFIX)) out[k] = v;
  out[DOWNSTREAM_CLUSTER_LABEL] = syncTargetKey;
  return out;
}

function downstreamAnnotations(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations ?? {})) {
    if (DROPPED_ANNOTATIONS.has(k) || k.startsWith(DELETION_ANNOTATION_PREFIX)) continue;
    out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The apply configuration of `upstream` in `downstreamNamespace`: apiVersion/kind from the type
 * (a wildcard list's items may omit them), name, labels (state labels out, our ownership label
 * in), annotations (kcp.io/cluster, deletion and last-applied out), then every top-level field
 * except status. Not kept: uid, resourceVersion, generation, creationTimestamp, managedFields,
 * ownerReferences, finalizers, deletionTimestamp.
 */
export function toDownstream(upstream: KubeObject, t: { apiVersion: string; kind: string }, downstreamNamespace: string, syncTargetKey: string): KubeObject {
  const annotations = downstreamAnnotations(upstream.metadata.annotations);
  const out: KubeObject = {
    apiVersion: t.apiVersion,
    kind: t.kind,
    metadata: {
      name: upstream.metadata.name ?? '',
      namespace: downstreamNamespace,
      labels: downstreamLabels(upstream.metadata.labels, syncTargetKey),
      ...(annotations ? { annotations } : {}),
    },
  };
  for (const [k, v] of Object.entries(upstream)) if (!DROPPED_FIELDS.has(k)) out[k] = v;
  return out;
}

/**
 * Whether `actual` still holds everything `wanted` says: every field of `wanted` present with the
 * same value, recursively (arrays element by element, same length). Fields only in `actual` —
 * server defaults, what others manage downstream — do not matter, as for server-side apply. A
 * downstream copy that no longer contains what the syncer applied has drifted and is applied again.
 */
export function contains(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && actual.length === wanted.length && wanted.every((w, i) => contains(actual[i], w));
  }
  if (wanted !== null && typeof wanted === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(wanted as Record<string, unknown>).every(([k, v]) => contains(a[k], v));
  }
  // An undefined wanted field says nothing (e.g. apiVersion/kind, which list items may omit).
  return wanted === undefined || actual === wanted;
}
