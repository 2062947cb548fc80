// Annotations the server maintains on every object (kplane's `kcp.io/cluster`) stay outside
// field management: taken out before ownership is computed and put back afterwards, so no
// manager owns them, no apply prunes them and no client write changes them through apply.
import { getOwn, isObject } from '../patch/json-value.ts';
import type { JsonObject } from '../patch/json-value.ts';
import type { FieldSet } from './fieldset.ts';

/** Removes `names` from obj.metadata.annotations (in place; an emptied map goes too); returns what was removed. */
export function stripAnnotations(obj: JsonObject, names: readonly string[]): Map<string, unknown> {
  const removed = new Map<string, unknown>();
  const meta = getOwn(obj, 'metadata');
  const ann = isObject(meta) ? getOwn(meta, 'annotations') : undefined;
  if (!isObject(meta) || !isObject(ann)) return removed;
  for (const name of names) {
    if (Object.hasOwn(ann, name)) {
      removed.set(name, ann[name]);
      delete ann[name];
    }
  }
  if (removed.size > 0 && Object.keys(ann).length === 0) delete meta.annotations;
  return removed;
}

/** Puts annotations removed by stripAnnotations back (in place). */
export function restoreAnnotations(obj: JsonObject, removed: ReadonlyMap<string, unknown>): void {
  if (removed.size === 0) return;
  let meta = getOwn(obj, 'metadata');
  if (!isObject(meta)) {
    meta = {};
    obj.metadata = meta;
  }
  const m = meta as JsonObject;
  let ann = getOwn(m, 'annotations');
  if (!isObject(ann)) {
    ann = {};
    m.annotations = ann;
  }
  for (const [k, v] of removed) Object.defineProperty(ann, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Drops ownership of `names` that entries written before they were untracked may still record. */
export function forgetAnnotations(sets: readonly { set: FieldSet; decoded?: unknown }[], names: readonly string[]): void {
  for (const m of sets) {
    const annotations = m.set.at(['f:metadata', 'f:annotations']);
    // In place: an entry whose set changed here must be encoded afresh.
    for (const name of names) if (annotations?.children.delete(`f:${name}`)) delete m.decoded;
  }
}
