// Preconditions checked against a decoded object, for a backend that starts a
// read-modify-write from a cached copy (Storage.guaranteedUpdate's cachedExisting) rather than
// from stored bytes.
import { StorageError } from './errors.ts';
import type { Preconditions, StoredObject } from './interface.ts';

export function checkObjectPreconditions(key: string, obj: StoredObject, pre: Preconditions | undefined): void {
  if (!pre) return;
  const rv = obj.metadata?.resourceVersion;
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== rv) {
    throw new StorageError('Conflict', key, `${key}: resourceVersion ${pre.resourceVersion} does not match ${String(rv)}`);
  }
  const uid = obj.metadata?.uid;
  if (pre.uid !== undefined && pre.uid !== (typeof uid === 'string' ? uid : undefined)) {
    throw new StorageError('Conflict', key, `${key}: uid ${pre.uid} does not match`);
  }
}
