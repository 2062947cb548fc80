// Helpers for untyped Kubernetes objects as they travel through the server.
import { isDeepStrictEqual } from 'node:util';
import type { LooseObjectMeta } from '../../../apis/meta/v1/loose.ts';

export type KObject = Record<string, unknown> & { metadata: ObjectMetaLike };

export type ObjectMetaLike = LooseObjectMeta;

/** The annotation kcp puts on every object naming its logical cluster. */
export const CLUSTER_ANNOTATION = 'kcp.io/cluster';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Sets metadata.managedFields, or removes the key when there are none: an own key holding
 * undefined is invisible in JSON but not to the watch cache, which keeps the written object
 * itself (pkg/storage/sqlite Change.object), nor to deep comparisons of it.
 */
export function putManagedFields(meta: { managedFields?: unknown }, entries: unknown): void {
  if (entries === undefined) delete meta.managedFields;
  else meta.managedFields = entries;
}

export function asKObject(v: Record<string, unknown>): KObject {
  if (!isPlainObject(v.metadata)) v.metadata = {};
  return v as KObject;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Everything but metadata and status: what `metadata.generation` tracks. */
export function specPart(obj: Record<string, unknown>): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

export function specChanged(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return !isDeepStrictEqual(specPart(a), specPart(b));
}

/** Deep equality ignoring metadata.resourceVersion and managedFields timestamps. */
export function semanticallyEqual(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => {
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };
  return isDeepStrictEqual(strip(a), strip(b));
}
