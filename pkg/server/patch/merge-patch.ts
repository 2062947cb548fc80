// JSON merge patch, RFC 7386 (Content-Type application/merge-patch+json), and the diff that
// produces one. Kube's server rejects a patch that is not a JSON object with 400
// "Invalid JSON Patch" (evanphx/json-patch ErrBadJSONPatch), and so do we.
import { PatchError } from './errors.ts';
import { checkDepth, deepClone, deepEqual, getOwn, isObject, JsonDepthError, setOwn } from './json-value.ts';
import type { JsonObject } from './json-value.ts';

/** Applies `patch` to a copy of `target`; the inputs are left untouched. */
export function applyMergePatch(target: unknown, patch: unknown): JsonObject {
  if (!isObject(patch)) throw new PatchError('BadRequest', 'Invalid JSON Patch');
  try {
    const base = isObject(target) ? deepClone(target) : {};
    return mergeInto(base, patch, 0);
  } catch (err) {
    if (err instanceof JsonDepthError) throw new PatchError('BadRequest', err.message);
    throw err;
  }
}

function mergeInto(target: JsonObject, patch: JsonObject, depth: number): JsonObject {
  checkDepth(depth);
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete target[key];
    } else if (isObject(value)) {
      const current = getOwn(target, key);
      setOwn(target, key, mergeInto(isObject(current) ? current : {}, value, depth + 1));
    } else {
      setOwn(target, key, deepClone(value, depth + 1));
    }
  }
  return target;
}

/**
 * The merge patch that turns `original` into `modified` (both objects): removed keys map to
 * null, changed objects recurse, anything else (arrays included) is sent whole.
 * `applyMergePatch(original, createMergePatch(original, modified))` equals `modified`
 * as long as `modified` holds no nulls.
 */
export function createMergePatch(original: unknown, modified: unknown): JsonObject {
  if (!isObject(original) || !isObject(modified)) throw new PatchError('BadRequest', 'merge patches can only be computed between objects');
  try {
    return diff(original, modified, 0);
  } catch (err) {
    if (err instanceof JsonDepthError) throw new PatchError('BadRequest', err.message);
    throw err;
  }
}

function diff(original: JsonObject, modified: JsonObject, depth: number): JsonObject {
  checkDepth(depth);
  const patch: JsonObject = {};
  for (const key of Object.keys(original)) {
    if (!Object.hasOwn(modified, key)) setOwn(patch, key, null);
  }
  for (const key of Object.keys(modified)) {
    const before = getOwn(original, key);
    const after = modified[key];
    if (!Object.hasOwn(original, key)) {
      setOwn(patch, key, deepClone(after, depth + 1));
    } else if (isObject(before) && isObject(after)) {
      const sub = diff(before, after, depth + 1);
      if (Object.keys(sub).length > 0) setOwn(patch, key, sub);
    } else if (!deepEqual(before, after, depth + 1)) {
      setOwn(patch, key, deepClone(after, depth + 1));
    }
  }
  return patch;
}
