// How backends turn objects into stored bytes and back. The resourceVersion is the
// backend's revision, never part of the stored bytes: it is stripped on write and
// injected on read, so a client can not smuggle a stale or forged RV into storage.
import { isDeepStrictEqual } from 'node:util';
import { StorageError } from './errors.ts';
import type { StoredObject, WatchEvent } from './interface.ts';

/**
 * The largest encoded object either backend stores: etcd's default request limit
 * (--max-request-bytes, 1.5 MiB), which kube-apiserver inherits. SQLite has no such limit of
 * its own; enforcing the same one here means no write path (create, update, any patch, apply,
 * status) can grow an object past what every reader — lists, watches, the watch cache,
 * informers — can hold, on either backend.
 */
export const MAX_OBJECT_BYTES = 1536 * 1024;

/**
 * Serialize obj for storage without metadata.resourceVersion. Throws InvalidObject for
 * non-objects and TooLarge past MAX_OBJECT_BYTES. Every backend write goes through here.
 */
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
  let json: string;
  try {
    json = JSON.stringify(toStore);
  } catch (err) {
    // Past V8's maximum string length: too large by any measure.
    if (err instanceof RangeError) throw tooLarge(key, undefined);
    throw new StorageError('InvalidObject', key, `object for ${key} is not serializable as JSON`, { cause: err });
  }
  // Bytes, not UTF-16 units; the cheap length check spares the byte count for small objects.
  if (json.length * 3 > MAX_OBJECT_BYTES) {
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_OBJECT_BYTES) throw tooLarge(key, bytes);
  }
  return json;
}

function tooLarge(key: string, bytes: number | undefined): StorageError {
  const size = bytes === undefined ? 'too large to encode' : `${bytes} bytes`;
  return new StorageError('TooLarge', key, `the object is ${size} when stored, limit is ${MAX_OBJECT_BYTES}`);
}

/** Parse stored bytes into a fresh object whose metadata.resourceVersion is the given revision. */
export function decodeObject(json: string, revision: number): StoredObject {
  const obj = JSON.parse(json) as StoredObject;
  const meta = obj.metadata !== null && typeof obj.metadata === 'object' ? obj.metadata : {};
  meta['resourceVersion'] = String(revision);
  obj.metadata = meta;
  return obj;
}

/**
 * What a write stored, without decoding it again: `obj` (the object just encoded) with the new
 * revision. A shallow copy with its own metadata; everything deeper is `obj`'s.
 */
export function withRevision(obj: StoredObject, revision: number): StoredObject {
  const meta = obj.metadata !== null && typeof obj.metadata === 'object' ? obj.metadata : {};
  return { ...obj, metadata: { ...meta, resourceVersion: String(revision) } };
}

/**
 * A MODIFIED or DELETED storage event whose prevObject is decoded from `prevJson` only when
 * first read. The watch cache holds that version already for nearly every event and puts its
 * own copy there instead, so decoding it up front was a JSON.parse of the whole previous object
 * per write for nothing (issue 15). A class with the accessor on its prototype, so every event
 * has one small fixed shape: an accessor defined on each object gave each its own hidden class,
 * ~370 B more per event the watch cache's ring keeps.
 */
export class LazyPrevEvent implements WatchEvent {
  readonly type: 'MODIFIED' | 'DELETED';
  readonly key: string;
  object: StoredObject;
  readonly revision: number;
  readonly size: number;
  readonly prevRevision: number;
  #prevJson: string | undefined;
  #prev: StoredObject | undefined;

  constructor(type: 'MODIFIED' | 'DELETED', key: string, object: StoredObject, revision: number, size: number, prevJson: string, prevRevision: number) {
    this.type = type;
    this.key = key;
    this.object = object;
    this.revision = revision;
    this.size = size;
    this.prevRevision = prevRevision;
    this.#prevJson = prevJson;
    this.#prev = undefined;
  }

  get prevObject(): StoredObject {
    if (this.#prevJson !== undefined) {
      this.#prev = decodeObject(this.#prevJson, this.prevRevision);
      this.#prevJson = undefined;
    }
    return this.#prev!;
  }

  set prevObject(value: StoredObject) {
    this.#prev = value;
    this.#prevJson = undefined;
  }
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
