// JSON merge patch, RFC 7386 (Content-Type application/merge-patch+json), and the diff that
// produces one. Kube's server rejects a patch that is not a JSON object with 400
// "Invalid JSON Patch" (evanphx/json-patch ErrBadJSONPatch), and so do we.
import { PatchError } from './errors.ts';
import { checkDepth, deepClone, deepEqual, deleteOwn, getOwn, isObject, JsonDepthError, setOwn } from './json-value.ts';
import type { JsonObject } from './json-value.ts';

/**
 * Applies `patch` to `target` without modifying either. Copy-on-write: the objects on the
 * patch's paths are new, everything else is shared with `target` (a status patch of one field
 * copies two small objects, not the whole object), so the result must be treated as
 * read-only where it is shared, as every object the store hands out is.
 */
export function applyMergePatch(target: unknown, patch: unknown): JsonObject {
  if (!isObject(patch)) throw new PatchError('BadRequest', 'Invalid JSON Patch');
  return depthAsBadRequest(() => mergeCopy(isObject(target) ? target : undefined, patch, 0));
}

/** Runs a walk, turning hostile nesting (JsonDepthError) into the 400 every merge-patch entry point answers. */
function depthAsBadRequest<T>(walk: () => T): T {
  try {
    return walk();
  } catch (err) {
    if (err instanceof JsonDepthError) throw new PatchError('BadRequest', err.message);
    throw err;
  }
}

function mergeCopy(target: JsonObject | undefined, patch: JsonObject, depth: number): JsonObject {
  checkDepth(depth);
  // Spread defines own data properties, so an own "__proto__" key stays plain data.
  const out: JsonObject = target === undefined ? {} : { ...target };
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      deleteOwn(out, key);
    } else if (isObject(value)) {
      const current = getOwn(out, key);
      setOwn(out, key, mergeCopy(isObject(current) ? current : undefined, value, depth + 1));
    } else {
      setOwn(out, key, deepClone(value, depth + 1));
    }
  }
  return out;
}

/**
 * Whether applying `patch` to `target` would change it, decided by walking the patch alone
 * (no copy): a null removes a key that is there, an object merges into an object (or creates
 * one), anything else replaces a value that differs. Non-object patches are left to
 * applyMergePatch to refuse.
 */
export function mergePatchChanges(target: unknown, patch: unknown): boolean {
  if (!isObject(patch)) return true;
  return depthAsBadRequest(() => changes(target, patch, 0));
}

function changes(target: unknown, patch: JsonObject, depth: number): boolean {
  checkDepth(depth);
  if (!isObject(target)) return true;
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    const present = Object.hasOwn(target, key);
    if (value === null) {
      if (present) return true;
    } else if (!present) {
      return true;
    } else if (isObject(value)) {
      if (changes(target[key], value, depth + 1)) return true;
    } else if (!deepEqual(target[key], value, depth + 1)) {
      return true;
    }
  }
  return false;
}

/**
 * The merge patch that turns `original` into `modified` (both objects): removed keys map to
 * null, changed objects recurse, anything else (arrays included) is sent whole.
 * `applyMergePatch(original, createMergePatch(original, modified))` equals `modified`
 * as long as `modified` holds no nulls.
 */
export function createMergePatch(original: unknown, modified: unknown): JsonObject {
  if (!isObject(original) || !isObject(modified)) throw new PatchError('BadRequest', 'merge patches can only be computed between objects');
  return depthAsBadRequest(() => diff(original, modified, 0));
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
