// How backends turn objects into stored bytes and back. The resourceVersion is the
// backend's revision, never part of the stored bytes: it is stripped on write and
// injected on read, so a client can not smuggle a stale or forged RV into storage.
import { isDeepStrictEqual } from 'node:util';
import { StorageError } from './errors.ts';
import type { StoredObject } from './interface.ts';

/** Serialize obj for storage without metadata.resourceVersion. Throws InvalidObject for non-objects. */
export function encodeObject(key: string, obj: StoredObject): string {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new StorageError('InvalidObject', key, `object for ${key} must be a JSON object`);
  }
  const meta = obj.metadata;
  let toStore: StoredObject = obj;
  if (meta !== null && typeof meta === 'object' && 'resourceVersion' in meta) {
    const { resourceVersion: _dropped, ...rest } = meta;
    toStore = { ...obj, metadata: rest };
  }
  try {
    return JSON.stringify(toStore);
  } catch (err) {
    throw new StorageError('InvalidObject', key, `object for ${key} is not serializable as JSON`, { cause: err });
  }
}

/** Parse stored bytes into a fresh object whose metadata.resourceVersion is the given revision. */
export function decodeObject(json: string, revision: number): StoredObject {
  const obj = JSON.parse(json) as StoredObject;
  const meta = obj.metadata !== null && typeof obj.metadata === 'object' ? obj.metadata : {};
  meta['resourceVersion'] = String(revision);
  obj.metadata = meta;
  return obj;
}

/** True when two stored encodings hold the same content (key order does not matter). */
export function sameStoredContent(a: string, b: string): boolean {
  return a === b || isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
}

/** metadata.uid of a stored encoding, if any (for uid preconditions). */
export function storedUid(json: string): string | undefined {
  const meta = (JSON.parse(json) as StoredObject).metadata;
  const uid = meta?.['uid'];
  return typeof uid === 'string' ? uid : undefined;
}
