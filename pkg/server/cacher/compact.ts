// The form the watch cache keeps an object in: the same content with less memory. Its string
// values come from the process's string pool, and each managedFields entry's fieldsV1 (the set
// of fields a manager owns, identical on every object one controller reconciled) from a pool of
// trees, subtree by subtree (a set naming an ownerReference's uid shares all its other fields):
// at 2,000 SyncTargets, managedFields alone were ~20 MiB of the cache's objects, nearly
// all of it repeated (docs/design.md §11 memory). The objects stay plain JSON values to every
// reader; the shared fieldsV1 trees are frozen (cached objects are never mutated, README.md).
import { sharedStrings, TreePool } from '../../intern/intern.ts';
import type { StoredObject } from '../../storage/interface.ts';

const fieldSets = new TreePool();

/**
 * Compact `obj` in place (the cache's own copy: a decode, or a written object whose top level and
 * metadata are its own). `prev`, the version the cache held before, was compacted when it came
 * in: whatever `obj` shares with it is compact already and not walked again.
 */
export function compactForCache(obj: StoredObject, prev?: StoredObject): void {
  sharedStrings.internValues(obj, prev);
  const entries: unknown = obj.metadata?.managedFields;
  if (!Array.isArray(entries)) return;
  for (const e of entries as unknown[]) {
    if (typeof e !== 'object' || e === null) continue;
    const entry = e as { fieldsV1?: unknown };
    if (typeof entry.fieldsV1 === 'object' && entry.fieldsV1 !== null) entry.fieldsV1 = fieldSets.intern(entry.fieldsV1);
  }
}
