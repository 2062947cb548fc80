// Strategic merge patch (application/strategic-merge-patch+json), kubectl's default patch
// type for built-in kinds, following k8s.io/apimachinery/pkg/util/strategicpatch with the
// server's options (nulls for absent keys are ignored):
//   - maps merge recursively; `null` deletes a key;
//   - lists with strategy `merge` and a merge key merge item by item (`{$patch: delete,
//     <key>: v}` removes one item, a `{$patch: replace}` item replaces the whole list);
//     primitive `merge` lists take the union; any other list is replaced whole;
//   - `$patch: replace|delete|merge` on a map; `$retainKeys` clears keys not listed;
//     `$deleteFromPrimitiveList/<f>` removes values; `$setElementOrder/<f>` orders a list.
// Known simplification: with `$setElementOrder`, items not named there are placed after the
// named ones (Kubernetes interleaves them by their server-side position).
import { PatchError } from './errors.ts';
import { canonicalJson, checkDepth, deepClone, getOwn, isObject, JsonDepthError, setOwn } from './json-value.ts';
import type { JsonObject } from './json-value.ts';
import type { FieldStrategy, StrategicSchema } from './strategic-schema.ts';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

/** Returned by mergeMap for `$patch: delete`: the caller drops the key. */
const DELETED = Symbol('deleted');

const badRequest = (message: string) => new PatchError('BadRequest', message);

/** Applies `patch` to a copy of `obj`. `schema` names the merge strategies of the kind. */
export function applyStrategicMergePatch(obj: unknown, patch: unknown, schema: StrategicSchema): JsonObject {
  if (!isObject(patch)) throw badRequest('Invalid JSON Patch');
  try {
    const result = mergeMap(isObject(obj) ? deepClone(obj) : {}, patch, '', schema, 0);
    return result === DELETED ? {} : result;
  } catch (err) {
    if (err instanceof JsonDepthError) throw badRequest(err.message);
    throw err;
  }
}

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Merges `patch` into `target` (owned by us, mutated in place). */
function mergeMap(target: JsonObject | undefined, patch: JsonObject, path: string, schema: StrategicSchema, depth: number): JsonObject | typeof DELETED {
  checkDepth(depth);
  const directive = getOwn(patch, DIRECTIVE);
  if (directive !== undefined) {
    if (directive === 'replace') return withoutDirectives(patch, depth);
    if (directive === 'delete') return DELETED;
    if (directive !== 'merge') throw badRequest(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  }
  const result: JsonObject = target ?? {};

  const retain = getOwn(patch, RETAIN_KEYS);
  if (retain !== undefined) {
    if (!Array.isArray(retain) || retain.some((k) => typeof k !== 'string')) throw badRequest('$retainKeys must be a list of strings');
    const keep = new Set(retain as string[]);
    for (const key of Object.keys(patch)) {
      if (!key.startsWith('$') && patch[key] !== null && !keep.has(key)) {
        throw badRequest("The patch content doesn't match retainKeys list");
      }
    }
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }

  // Deletions from primitive lists apply to the original values, before anything is added.
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    const doomed = patch[key];
    if (!Array.isArray(doomed)) throw badRequest(`invalid patch: ${key} must be a list`);
    const current = getOwn(result, field);
    const doomedIds = new Set(doomed.map((d) => canonicalJson(d)));
    if (Array.isArray(current)) setOwn(result, field, current.filter((v) => !doomedIds.has(canonicalJson(v))));
  }

  for (const key of Object.keys(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    const value = patch[key];
    if (value === null) {
      delete result[key];
      continue;
    }
    const fieldPath = childPath(path, key);
    const current = getOwn(result, key);
    if (isObject(value)) {
      const merged = mergeMap(isObject(current) ? current : undefined, value, fieldPath, schema, depth + 1);
      if (merged === DELETED) delete result[key];
      else setOwn(result, key, merged);
    } else if (Array.isArray(value)) {
      const strategy = Object.hasOwn(schema, fieldPath) ? schema[fieldPath] : undefined;
      setOwn(result, key, mergeList(Array.isArray(current) ? current : undefined, value, fieldPath, strategy, schema, depth + 1));
    } else {
      setOwn(result, key, value);
    }
  }

  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = key.slice(SET_ELEMENT_ORDER.length);
    const order = patch[key];
    if (!Array.isArray(order)) throw badRequest(`invalid patch: ${key} must be a list`);
    const fieldPath = childPath(path, field);
    const strategy = Object.hasOwn(schema, fieldPath) ? schema[fieldPath] : undefined;
    const current = getOwn(result, field);
    if (Array.isArray(current)) setOwn(result, field, applyElementOrder(current, order, strategy?.mergeKey));
  }
  return result;
}

/** A fresh value from the patch: directives interpreted against nothing, nulls dropped. */
function withoutDirectives(patch: JsonObject, depth: number): JsonObject {
  checkDepth(depth);
  const out: JsonObject = {};
  for (const key of Object.keys(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    setOwn(out, key, deepClone(patch[key], depth + 1));
  }
  return out;
}

function mergeList(
  current: unknown[] | undefined,
  patch: unknown[],
  path: string,
  strategy: FieldStrategy | undefined,
  schema: StrategicSchema,
  depth: number,
): unknown[] {
  checkDepth(depth);
  if (strategy === undefined || !strategy.strategy.includes('merge')) return deepClone(patch, depth);
  const mergeKey = strategy.mergeKey;
  if (mergeKey === undefined) {
    // A merged primitive list (e.g. finalizers): union, existing order first.
    const out = [...(current ?? [])];
    const seen = new Set(out.map((x) => canonicalJson(x)));
    for (const v of patch) {
      if (isObject(v) || Array.isArray(v)) throw badRequest(`invalid patch: ${path} is a list of primitives`);
      const id = canonicalJson(v);
      if (!seen.has(id)) {
        seen.add(id);
        out.push(v);
      }
    }
    return out;
  }

  if (patch.some((item) => isObject(item) && getOwn(item, DIRECTIVE) === 'replace')) {
    return patch
      .filter((item) => !(isObject(item) && getOwn(item, DIRECTIVE) === 'replace'))
      .map((item) => (isObject(item) ? withoutDirectives(item, depth + 1) : deepClone(item, depth + 1)));
  }

  // Index items by merge key once: lists can be long and lookups must stay linear.
  const out: unknown[] = [...(current ?? [])];
  const removed = new Set<number>();
  const index = new Map<string, number>();
  out.forEach((x, i) => {
    const key = isObject(x) ? getOwn(x, mergeKey) : undefined;
    if (key !== undefined && !index.has(canonicalJson(key))) index.set(canonicalJson(key), i);
  });
  for (const item of patch) {
    if (!isObject(item)) throw badRequest(`invalid patch: ${path} is a list of maps merged by ${mergeKey}, got ${JSON.stringify(item)}`);
    const key = getOwn(item, mergeKey);
    if (key === undefined) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    const id = canonicalJson(key);
    const i = index.get(id);
    const directive = getOwn(item, DIRECTIVE);
    if (directive !== undefined && directive !== 'merge' && directive !== 'delete') {
      throw badRequest(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(item)}`);
    }
    const existing = i === undefined ? undefined : out[i];
    const merged = directive === 'delete' ? DELETED : mergeMap(isObject(existing) ? existing : undefined, item, path, schema, depth + 1);
    if (merged === DELETED) {
      if (i !== undefined) {
        removed.add(i);
        index.delete(id);
      }
    } else if (i !== undefined) {
      out[i] = merged;
    } else {
      index.set(id, out.length);
      out.push(merged);
    }
  }
  return removed.size === 0 ? out : out.filter((_, i) => !removed.has(i));
}

function applyElementOrder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const identity = (v: unknown) => canonicalJson(mergeKey !== undefined && isObject(v) ? getOwn(v, mergeKey) : v);
  const rank = new Map<string, number>();
  order.forEach((o, i) => {
    const id = identity(o);
    if (!rank.has(id)) rank.set(id, i);
  });
  const named = list.filter((v) => rank.has(identity(v)));
  named.sort((a, b) => (rank.get(identity(a)) ?? 0) - (rank.get(identity(b)) ?? 0));
  return [...named, ...list.filter((v) => !rank.has(identity(v)))];
}
