// The object walks of server-side apply, all driven by the ApplySchema:
//   fieldsOf   the fields an applied configuration sets (structured-merge-diff toFieldSet)
//   compare    what changed between two objects: added, modified, removed
//   merge      the live object with the configuration merged in
//   prune      remove the fields of a set from an object
import { canonicalJson, checkDepth, deepClone, deepEqual, getOwn, isObject, setOwn } from '../patch/json-value.ts';
import type { JsonObject } from '../patch/json-value.ts';
import { ApplyError } from './errors.ts';
import { mergeListOrder } from './list-merge.ts';
import { FieldSet } from './fieldset.ts';
import type { ApplySchema, ListOrMapType } from './schema.ts';

const typeAt = (schema: ApplySchema, path: string): ListOrMapType | undefined => (Object.hasOwn(schema, path) ? schema[path] : undefined);
const childPath = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
const field = (name: string) => `f:${name}`;

/**
 * `k:{...}` for a keyed-list item, or undefined when the item lacks a key field. A key field
 * the schema defaults (a port's protocol) counts with its default when absent, as kube does.
 */
function itemKey(item: unknown, t: Extract<ListOrMapType, { type: 'map' }>): string | undefined {
  if (!isObject(item)) return undefined;
  const key: JsonObject = {};
  for (const k of [...t.keys].sort()) {
    const v = getOwn(item, k) ?? t.keyDefaults?.[k];
    if (v === undefined || v === null || isObject(v) || Array.isArray(v)) return undefined;
    setOwn(key, k, v);
  }
  return `k:${canonicalJson(key)}`;
}

const valueKey = (v: unknown) => `v:${canonicalJson(v)}`;

/**
 * Fields set by an applied configuration. Throws ApplyError for keyed items without keys,
 * unless `lenient` (stored objects: such items are skipped rather than failing the write).
 */
export function fieldsOf(value: unknown, schema: ApplySchema, path = '', depth = 0, lenient = false): FieldSet {
  const out = new FieldSet();
  collect(value, schema, path, out, depth, lenient);
  return out;
}

function collect(value: unknown, schema: ApplySchema, path: string, into: FieldSet, depth: number, lenient = false): void {
  checkDepth(depth);
  const t = typeAt(schema, path);
  if (isObject(value) && t?.type !== 'atomic') {
    for (const key of Object.keys(value)) {
      const v = value[key];
      const node = into.child(field(key));
      if (v === null || (isObject(v) && Object.keys(v).length === 0 && typeAt(schema, childPath(path, key))?.type !== 'atomic')) {
        node.member = true;
      } else if (isObject(v) || Array.isArray(v)) {
        collect(v, schema, childPath(path, key), node, depth + 1, lenient);
        // As structured-merge-diff: an empty keyed/set list (or an object holding only such)
        // sets no field at all.
        if (node.empty) into.children.delete(field(key));
      } else {
        node.member = true;
      }
    }
    return;
  }
  if (Array.isArray(value) && t?.type === 'map') {
    for (const item of value) {
      const k = itemKey(item, t);
      if (k === undefined) {
        if (lenient) continue;
        throw new ApplyError('BadRequest', `associative list with keys has an element that omits key field(s) ${t.keys.map((x) => JSON.stringify(x)).join(', ')} (at .${path})`);
      }
      const node = into.child(k);
      node.member = true;
      collect(item, schema, path, node, depth + 1, lenient);
    }
    return;
  }
  if (Array.isArray(value) && t?.type === 'set') {
    for (const item of value) into.child(valueKey(item)).member = true;
    return;
  }
  into.member = true;
}

/** Everything at and below a value that appeared: the node itself plus its fields. */
function addedSubtree(value: unknown, schema: ApplySchema, path: string, depth: number): FieldSet {
  const set = new FieldSet();
  if ((isObject(value) && typeAt(schema, path)?.type !== 'atomic') || (Array.isArray(value) && typeAt(schema, path)?.type !== undefined && typeAt(schema, path)?.type !== 'atomic')) {
    collect(value, schema, path, set, depth);
  }
  set.member = true;
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  /** Removed paths including everything below them. */
  removed: FieldSet;
}

export function compare(before: unknown, after: unknown, schema: ApplySchema): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  diff(before, after, schema, '', [], c, 0);
  return c;
}

function graft(target: FieldSet, prefix: readonly string[], sub: FieldSet): void {
  let node = target;
  for (const pe of prefix) node = node.child(pe);
  node.addAll(sub);
}

/** An object or array: a value whose change diff must look into (scalars compare with ===). */
const isComposite = (v: unknown): v is object => typeof v === 'object' && v !== null;

function diff(a: unknown, b: unknown, schema: ApplySchema, path: string, at: string[], c: Comparison, depth: number): void {
  checkDepth(depth);
  const t = typeAt(schema, path);
  if (isObject(a) && isObject(b) && t?.type !== 'atomic') {
    // Every write walks the whole object, and most of it is unchanged: equal scalars are
    // skipped before any path is built.
    for (const key of Object.keys(a)) {
      const av = a[key];
      if (!Object.hasOwn(b, key)) {
        graft(c.removed, [...at, field(key)], addedSubtree(av, schema, childPath(path, key), depth + 1));
        continue;
      }
      const bv = b[key];
      if (av === bv) continue;
      if (!isComposite(av) || !isComposite(bv)) c.modified.insert([...at, field(key)]);
      else diff(av, bv, schema, childPath(path, key), [...at, field(key)], c, depth + 1);
    }
    for (const key of Object.keys(b)) {
      if (!Object.hasOwn(a, key)) graft(c.added, [...at, field(key)], addedSubtree(b[key], schema, childPath(path, key), depth + 1));
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && (t?.type === 'map' || t?.type === 'set')) {
    const index = (list: unknown[]) => {
      const m = new Map<string, unknown>();
      for (const item of list) {
        const k = t.type === 'map' ? itemKey(item, t) : valueKey(item);
        if (k !== undefined && !m.has(k)) m.set(k, item);
      }
      return m;
    };
    const ia = index(a);
    const ib = index(b);
    for (const [k, item] of ia) {
      if (!ib.has(k)) graft(c.removed, [...at, k], t.type === 'map' ? addedSubtree(item, schema, path, depth + 1) : FieldSet.fromPaths([[]]));
    }
    for (const [k, item] of ib) {
      if (!ia.has(k)) graft(c.added, [...at, k], t.type === 'map' ? addedSubtree(item, schema, path, depth + 1) : FieldSet.fromPaths([[]]));
      else if (t.type === 'map') diff(ia.get(k), item, schema, path, [...at, k], c, depth + 1);
    }
    return;
  }
  if (!deepEqual(a, b)) c.modified.insert(at);
}

/** `live` with `config` merged in; neither input is modified. `null` in config removes. */
export function merge(live: unknown, config: unknown, schema: ApplySchema, path = '', depth = 0): unknown {
  checkDepth(depth);
  const t = typeAt(schema, path);
  if (isObject(config) && t?.type !== 'atomic') {
    const out: JsonObject = isObject(live) ? deepClone(live) : {};
    for (const key of Object.keys(config)) {
      const v = config[key];
      if (v === null) delete out[key];
      else setOwn(out, key, merge(getOwn(out, key), v, schema, childPath(path, key), depth + 1));
    }
    return out;
  }
  if (Array.isArray(config) && Array.isArray(live) && (t?.type === 'map' || t?.type === 'set')) {
    const keyOf = (item: unknown) => (t.type === 'map' ? itemKey(item, t) : valueKey(item));
    const mergeItem = (l: unknown, c: unknown) => (t.type === 'map' ? merge(l, c, schema, path, depth + 1) : deepClone(c));
    return mergeListOrder(live, config, keyOf, mergeItem);
  }
  return deepClone(config);
}

/**
 * structured-merge-diff's EnsureNamedFieldsAreMembers: every struct field on the way to an
 * owned leaf counts as a member too. kplane's schemas treat every object as a struct (no
 * served type has a map whose values are objects), so every `f:` node becomes a member;
 * list items (`k:`/`v:`) only are when they already were.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, depth = 0): FieldSet {
  checkDepth(depth);
  const out = new FieldSet();
  out.member = set.member;
  for (const [pe, c] of set.children) {
    const sub = ensureNamedFieldsAreMembers(c, depth + 1);
    if (pe.startsWith('f:')) sub.member = true;
    out.children.set(pe, sub);
  }
  return out;
}

/** A copy of `obj` without the member paths of `set` (structured-merge-diff RemoveItems). */
export function removeItems<T>(obj: T, set: FieldSet, schema: ApplySchema): T {
  const out = deepClone(obj);
  prune(out, set, schema);
  return out;
}

/** Removes the member paths of `set` from `obj` (in place). */
export function prune(obj: unknown, set: FieldSet, schema: ApplySchema, path = '', depth = 0): void {
  checkDepth(depth);
  for (const [pe, sub] of set.children) {
    if (pe.startsWith('f:') && isObject(obj)) {
      const key = pe.slice(2);
      if (!Object.hasOwn(obj, key)) continue;
      if (sub.member) delete obj[key];
      else prune(obj[key], sub, schema, childPath(path, key), depth + 1);
    } else if ((pe.startsWith('k:') || pe.startsWith('v:')) && Array.isArray(obj)) {
      const t = typeAt(schema, path);
      const keyOf = (item: unknown) => (t?.type === 'map' ? itemKey(item, t) : valueKey(item));
      const i = obj.findIndex((item) => keyOf(item) === pe);
      if (i < 0) continue;
      if (sub.member) obj.splice(i, 1);
      else prune(obj[i], sub, schema, path, depth + 1);
    }
  }
}
