// metadata.managedFields: decoding into field sets and encoding back with stable bytes
// (entries sorted as apimachinery's sortEncodedManagedFields; keys in metav1 field order).
import { isObject } from '../patch/json-value.ts';
import { FieldSet } from './fieldset.ts';

export type ManagedFieldsOperation = 'Apply' | 'Update';

/** metav1.ManagedFieldsEntry in its JSON form. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface Manager {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time: string | undefined;
  subresource: string;
  set: FieldSet;
  /**
   * The FieldsV1 this manager's set was decoded from. Encoding reuses it while `set` is still
   * that same instance (sets are replaced, never modified in place, except where noted), so an
   * untouched entry costs no re-encoding: most writes change one manager's fields.
   */
  decoded?: { set: FieldSet; fieldsV1: Record<string, unknown> };
}

/**
 * Identity of an entry, as BuildManagerIdentifier: appliers are one entry whatever the
 * apiVersion they used; updaters are one entry per apiVersion.
 */
export function managerKey(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource]);
}

/** How kube names a manager in conflict messages (internal/conflict.go printManager). */
export function describeManager(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource !== '') s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/**
 * FieldsV1 trees decoded so far, by identity. A stored object's trees are the watch cache's
 * frozen, pooled ones (cacher/compact.ts), identical across every object one controller wrote,
 * and an untouched entry keeps its tree from write to write (encodeManagedFields), so most
 * decodes are of a tree seen before: ~1.6 % of a status write's CPU went to decoding them again.
 * The sets are shared: nothing modifies a decoded set in place (union and difference make new ones).
 */
const decodedTrees = new WeakMap<object, FieldSet | null>();

function decodeFieldsV1(fieldsV1: unknown): FieldSet | undefined {
  if (typeof fieldsV1 !== 'object' || fieldsV1 === null) return FieldSet.fromFieldsV1(fieldsV1);
  const known = decodedTrees.get(fieldsV1);
  if (known !== undefined) return known ?? undefined;
  const set = FieldSet.fromFieldsV1(fieldsV1);
  decodedTrees.set(fieldsV1, set ?? null);
  return set;
}

/**
 * Decodes stored or client-sent managedFields. Returns undefined when they are malformed;
 * kube then starts over from no managers rather than failing the request.
 */
export function decodeManagedFields(raw: unknown): Manager[] | undefined {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return undefined;
  const byKey = new Map<string, Manager>();
  for (const e of raw) {
    if (!isObject(e)) return undefined;
    const { manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource } = e;
    if (typeof manager !== 'string' || (operation !== 'Apply' && operation !== 'Update')) return undefined;
    if (fieldsType !== undefined && fieldsType !== 'FieldsV1') return undefined;
    const set = fieldsV1 === undefined || fieldsV1 === null ? new FieldSet() : decodeFieldsV1(fieldsV1);
    if (set === undefined) return undefined;
    const m: Manager = {
      manager,
      operation,
      apiVersion: typeof apiVersion === 'string' ? apiVersion : '',
      time: typeof time === 'string' ? time : undefined,
      subresource: typeof subresource === 'string' ? subresource : '',
      set,
    };
    const key = managerKey(m);
    const dup = byKey.get(key);
    if (dup) {
      // A new set (decoded sets are shared, never modified): the first entry's FieldsV1 no
      // longer describes it.
      dup.set = dup.set.union(set);
      delete dup.decoded;
    } else {
      if (isObject(fieldsV1)) m.decoded = { set, fieldsV1 };
      byKey.set(key, m);
    }
  }
  return [...byKey.values()];
}

const seconds = (t: string | undefined) => {
  const ms = t === undefined ? NaN : Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
};
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Encodes managers, dropping those that own nothing, in kube's deterministic order. */
export function encodeManagedFields(managers: readonly Manager[]): ManagedFieldsEntry[] {
  return managers
    .filter((m) => !m.set.void)
    .sort(
      (p, q) =>
        cmp(p.operation, q.operation) ||
        seconds(p.time) - seconds(q.time) ||
        cmp(p.manager, q.manager) ||
        cmp(p.apiVersion, q.apiVersion) ||
        cmp(p.subresource, q.subresource),
    )
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      ...(m.time !== undefined ? { time: m.time } : {}),
      fieldsType: 'FieldsV1' as const,
      fieldsV1: m.decoded?.set === m.set ? m.decoded.fieldsV1 : m.set.toFieldsV1(),
      ...(m.subresource !== '' ? { subresource: m.subresource } : {}),
    }));
}
