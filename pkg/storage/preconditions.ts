// Preconditions checked against a decoded object, for a backend that starts a
// read-modify-write from a cached copy (Storage.guaranteedUpdate's cachedExisting) rather than
// from stored bytes.
import type { Preconditions, StoredObject } from './interface.ts';

/**
 * Whether obj meets the preconditions. On a cached copy a miss proves nothing (the copy may be
 * stale), so callers then read the stored object and check that instead.
 */
export function meetsPreconditions(obj: StoredObject, pre: Preconditions | undefined): boolean {
  if (!pre) return true;
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== obj.metadata?.resourceVersion) return false;
  const uid = obj.metadata?.uid;
  return pre.uid === undefined || pre.uid === (typeof uid === 'string' ? uid : undefined);
}
