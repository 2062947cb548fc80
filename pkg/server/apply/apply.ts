// Server-side apply and the managedFields bookkeeping of ordinary writes, after
// structured-merge-diff (merge/update.go) as the API server uses it:
//   serverSideApply  PATCH application/apply-patch+yaml: merge the configuration into the
//                    live object, fail on fields another manager owns with another value
//                    (unless force, which takes them over), drop fields this manager applied
//                    before but no longer does (when nobody else owns them).
//   recordUpdate     POST/PUT/other PATCH: the manager takes every field it added or changed
//                    (from anyone, without conflict), removed fields leave every manager.
// Type and identity metadata (apiVersion, kind, metadata.name, uid, …) is never tracked.
import { deepClone, getOwn, isObject, JsonDepthError } from '../patch/json-value.ts';
import type { JsonObject } from '../patch/json-value.ts';
import { ApplyError } from './errors.ts';
import { FieldSet, pathToString } from './fieldset.ts';
import { decodeManagedFields, describeManager, encodeManagedFields, managerKey } from './managed-fields.ts';
import type { ManagedFieldsEntry, Manager } from './managed-fields.ts';
import { applySchemaFor } from './schema.ts';
import type { ApplySchema } from './schema.ts';
import { allowedConflicts, KUBECTL_MANAGER, syncLastApplied } from './last-applied.ts';
import { pruneDropped } from './prune.ts';
import { forgetAnnotations, restoreAnnotations, stripAnnotations } from './untracked.ts';
import { compare, fieldsOf, merge } from './walk.ts';
import { formatTime } from '../../../apis/meta/v1/time.ts';

/** stripmeta.go: fields that belong to the server or the type, not to a manager. */
const STRIPPED = (() => {
  const set = FieldSet.fromPaths([['f:apiVersion'], ['f:kind'], ['f:metadata']]);
  for (const f of ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']) {
    set.insert(['f:metadata', `f:${f}`]);
  }
  return set;
})();

export interface ManagedWriteOptions {
  /** group/version of the request, recorded on Update entries (e.g. `apps/v1`, `v1`). */
  apiVersion: string;
  /** '' or undefined for the main resource, `status` for /status. */
  subresource?: string;
  now: Date | (() => Date);
  /** Defaults to the built-in table for the object's apiVersion/kind. */
  schema?: ApplySchema;
  /**
   * Dotted top-level-or-nested paths this endpoint does not let clients set, e.g. `['status']`
   * on a main resource whose status is a subresource. Dropped from applied configurations
   * and never recorded as owned.
   */
  ignoredFields?: readonly string[];
  /**
   * Annotations the server itself maintains (kplane's `kcp.io/cluster`): never owned by a
   * manager, never pruned or changed by an apply.
   */
  untrackedAnnotations?: readonly string[];
}

export interface ApplyOptions extends ManagedWriteOptions {
  /** The stored object, or undefined when the apply creates it. */
  live: JsonObject | undefined;
  /** The applied configuration (parsed JSON or YAML). */
  config: unknown;
  manager: string;
  force: boolean;
}

export interface ApplyResult {
  /** The new object, with metadata.managedFields set. */
  object: JsonObject;
  managedFields: ManagedFieldsEntry[];
}

const nowOf = (now: Date | (() => Date)) => formatTime(typeof now === 'function' ? now() : now);

function schemaFor(obj: unknown, opts: ManagedWriteOptions): ApplySchema {
  if (opts.schema) return opts.schema;
  const apiVersion = isObject(obj) ? getOwn(obj, 'apiVersion') : undefined;
  const kind = isObject(obj) ? getOwn(obj, 'kind') : undefined;
  return applySchemaFor(typeof apiVersion === 'string' ? apiVersion : opts.apiVersion, typeof kind === 'string' ? kind : '');
}

function deletePath(obj: unknown, dotted: string): void {
  const parts = dotted.split('.');
  let node = obj;
  for (const p of parts.slice(0, -1)) node = isObject(node) ? getOwn(node, p) : undefined;
  const last = parts[parts.length - 1] ?? '';
  if (isObject(node) && Object.hasOwn(node, last)) delete node[last];
}

function withoutSubtrees(set: FieldSet, dottedPaths: readonly string[]): FieldSet {
  const out = set.difference(STRIPPED);
  for (const dotted of dottedPaths) {
    const parts = dotted.split('.').map((p) => `f:${p}`);
    const parent = out.at(parts.slice(0, -1));
    parent?.children.delete(parts[parts.length - 1] ?? '');
  }
  return out;
}

function managedFieldsOf(obj: unknown): unknown {
  const meta = isObject(obj) ? getOwn(obj, 'metadata') : undefined;
  return isObject(meta) ? getOwn(meta, 'managedFields') : undefined;
}

/** A copy of obj's top level and metadata (deeper values shared), for setting managedFields. */
function withOwnMetadata(obj: JsonObject): JsonObject {
  const out: JsonObject = { ...obj };
  const meta = getOwn(obj, 'metadata');
  if (isObject(meta)) out.metadata = { ...meta };
  return out;
}

/**
 * A read-only view of obj for comparing field sets: metadata always present, without
 * managedFields and the untracked annotations. Only the top level, metadata and annotations
 * are copied; the rest is shared with obj, so the view must not be modified.
 */
function comparableView(obj: JsonObject, untracked: readonly string[]): JsonObject {
  const view: JsonObject = { ...obj };
  const meta = getOwn(obj, 'metadata');
  const m: JsonObject = isObject(meta) ? { ...meta } : {};
  delete m.managedFields;
  const ann = getOwn(m, 'annotations');
  if (isObject(ann) && untracked.some((n) => Object.hasOwn(ann, n))) {
    const kept: JsonObject = { ...ann };
    for (const n of untracked) delete kept[n];
    if (Object.keys(kept).length === 0) delete m.annotations;
    else m.annotations = kept;
  }
  view.metadata = m;
  return view;
}

/** The object without metadata.managedFields (a copy). */
function withoutManagedFields(obj: JsonObject | undefined): JsonObject {
  const copy = obj === undefined ? {} : deepClone(obj);
  const meta = getOwn(copy, 'metadata');
  if (isObject(meta)) delete meta.managedFields;
  return copy;
}

function setManagedFields(obj: JsonObject, entries: ManagedFieldsEntry[]): void {
  let meta = getOwn(obj, 'metadata');
  if (!isObject(meta)) {
    if (entries.length === 0) return;
    meta = {};
    obj.metadata = meta;
  }
  const m = meta as JsonObject;
  if (entries.length === 0) delete m.managedFields;
  else m.managedFields = entries;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof JsonDepthError) throw new ApplyError('BadRequest', err.message);
    throw err;
  }
}

export function serverSideApply(opts: ApplyOptions): ApplyResult {
  return guard(() => applyUnguarded(opts));
}

/** kube's name for the owner of everything an object held before its first apply (skipNonAppliedManager). */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

function applyUnguarded(opts: ApplyOptions): ApplyResult {
  if (!isObject(opts.config)) throw new ApplyError('BadRequest', 'the applied configuration must be an object');
  const configMeta = getOwn(opts.config, 'metadata');
  if (isObject(configMeta) && getOwn(configMeta, 'managedFields') !== undefined && getOwn(configMeta, 'managedFields') !== null) {
    throw new ApplyError('BadRequest', 'metadata.managedFields must be nil');
  }
  const ignored = opts.ignoredFields ?? [];
  const untracked = opts.untrackedAnnotations ?? [];
  const subresource = opts.subresource ?? '';
  const config = deepClone(opts.config);
  for (const p of ignored) deletePath(config, p);
  stripAnnotations(config, untracked);
  const schema = schemaFor(config, opts);

  const managers = decodeManagedFields(managedFieldsOf(opts.live)) ?? [];
  forgetAnnotations(managers, untracked);
  const base = withoutManagedFields(opts.live);
  const kept = stripAnnotations(base, untracked);
  if (opts.live !== undefined && managers.length === 0) {
    // An object nobody owns yet (created before field tracking, or its managedFields reset):
    // everything it holds gets an owner first, so the apply can neither silently take values
    // it did not set nor prune them.
    const before: JsonObject = { metadata: {} };
    const set = withoutSubtrees(compare(before, base, schema).added, ignored);
    managers.push({ manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: opts.apiVersion, time: nowOf(opts.now), subresource, set });
  }
  const configSet = withoutSubtrees(fieldsOf(config, schema), ignored);
  const merged = merge(base, config, schema) as JsonObject;

  const key = managerKey({ manager: opts.manager, operation: 'Apply', apiVersion: '', subresource });
  const previous = managers.find((m) => managerKey(m) === key);
  const others = managers.filter((m) => m !== previous);
  // Identity metadata is in no stored set but is always kept (kube's applier set still holds
  // name and namespace when pruning; server-set fields come back as unowned dangling items).
  const allOwned = others.reduce((acc, m) => acc.union(m.set), configSet.union(STRIPPED));
  const pruned = pruneDropped(merged, previous?.set, allOwned, schema);

  const changes = compare(base, pruned, schema);
  const changed = withoutSubtrees(changes.added.union(changes.modified), ignored);
  let conflicts: Array<{ manager: Manager; path: string[] }> = [];
  for (const m of others) {
    for (const path of m.set.intersection(changed).paths()) conflicts.push({ manager: m, path });
  }
  let force = opts.force;
  if (conflicts.length > 0 && !force && opts.manager === KUBECTL_MANAGER && opts.live !== undefined) {
    // kubectl's own earlier client-side apply is no conflict for kubectl's server-side apply.
    const allowed = allowedConflicts(base, opts.apiVersion, schema);
    conflicts = conflicts.filter((c) => !allowed.has(c.path));
    force = conflicts.length === 0;
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);

  for (const m of others) {
    if (force) m.set = m.set.difference(changed);
    m.set = m.set.difference(changes.removed);
  }
  const objectChanged = !changes.added.empty || !changes.modified.empty || !changes.removed.empty;
  const sameSet = previous !== undefined && previous.set.difference(configSet).empty && configSet.difference(previous.set).empty;
  const applier: Manager = {
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: opts.apiVersion,
    // Unchanged applies keep the old timestamp, so repeated applies produce identical bytes.
    time: previous && !objectChanged && sameSet && previous.apiVersion === opts.apiVersion ? previous.time : nowOf(opts.now),
    subresource,
    set: configSet,
  };
  const managedFields = encodeManagedFields([...others, applier]);
  setManagedFields(pruned, managedFields);
  if (opts.manager === KUBECTL_MANAGER) syncLastApplied(pruned, opts.config);
  restoreAnnotations(pruned, kept);
  return { object: pruned, managedFields };
}

function conflictError(conflicts: Array<{ manager: Manager; path: string[] }>): ApplyError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.manager)}`,
    field: pathToString(c.path),
  }));
  if (conflicts.length === 1) {
    const [c] = causes;
    return new ApplyError('Conflict', `Apply failed with 1 conflict: ${c?.message}: ${c?.field}`, causes);
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const name = describeManager(c.manager);
    byManager.set(name, [...(byManager.get(name) ?? []), pathToString(c.path)]);
  }
  const lines: string[] = [];
  for (const name of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${name}:`);
    for (const p of byManager.get(name) ?? []) lines.push(`- ${p}`);
  }
  return new ApplyError('Conflict', `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`, causes);
}

/** `[{}]`: the documented way for a client to wipe managedFields. */
function isResetRequest(raw: unknown): boolean {
  return Array.isArray(raw) && raw.length === 1 && isObject(raw[0]) && Object.keys(raw[0]).length === 0;
}

/**
 * Ownership after a non-apply write (create, update, merge/JSON/strategic patch) by
 * `manager` (the fieldManager query parameter, else a name derived from the user agent).
 * Returns `updated` with metadata.managedFields set: a new top level and metadata, the rest
 * shared with `updated` (neither input is modified). Managed fields the client sent that
 * differ from the stored ones are honoured as the starting point (kubectl's client-side-apply
 * upgrade relies on that); `[{}]` clears them.
 */
export function recordUpdate(old: JsonObject | undefined, updated: JsonObject, manager: string, opts: ManagedWriteOptions): JsonObject {
  return guard(() => {
    const out = withOwnMetadata(updated);
    const sentRaw = managedFieldsOf(out);
    if (isResetRequest(sentRaw)) {
      setManagedFields(out, []);
      return out;
    }
    const storedRaw = managedFieldsOf(old);
    const sent = Array.isArray(sentRaw) && sentRaw.length > 0 ? decodeManagedFields(sentRaw) : undefined;
    const managers = sent ?? decodeManagedFields(storedRaw) ?? [];
    forgetAnnotations(managers, opts.untrackedAnnotations ?? []);

    const ignored = opts.ignoredFields ?? [];
    const schema = schemaFor(updated, opts);
    const untracked = opts.untrackedAnnotations ?? [];
    // The walk below only reads, so shallow views without managedFields and untracked
    // annotations do; copying whole objects here was a fifth of a status PATCH's CPU.
    // As kube's empty "old" object on create, metadata always exists: its fields are added
    // one by one (labels gets its own "." entry), metadata itself never is.
    const before = comparableView(old ?? {}, untracked);
    const after = comparableView(out, untracked);
    const changes = compare(before, after, schema);
    const changed = withoutSubtrees(changes.added.union(changes.modified), ignored);
    const subresource = opts.subresource ?? '';
    const key = managerKey({ manager, operation: 'Update', apiVersion: opts.apiVersion, subresource });
    let mine = managers.find((m) => managerKey(m) === key);
    for (const m of managers) {
      if (m !== mine && m.set.intersects(changed)) m.set = m.set.difference(changed);
      if (m.set.intersects(changes.removed)) m.set = m.set.difference(changes.removed);
    }
    if (!changed.empty) {
      if (mine === undefined) {
        mine = { manager, operation: 'Update', apiVersion: opts.apiVersion, time: undefined, subresource, set: new FieldSet() };
        managers.push(mine);
      }
      if (!mine.set.contains(changed)) mine.set = mine.set.union(changed);
      mine.time = nowOf(opts.now);
    }
    setManagedFields(out, encodeManagedFields(managers));
    return out;
  });
}
