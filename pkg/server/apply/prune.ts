// Dropping what an applier stopped applying, as structured-merge-diff's Updater.prune does:
//   1. remove from the merged object everything the applier owned before (its last set, with
//      the struct fields leading to owned leaves counted as owned, so a `.` member on a map
//      removes the whole map);
//   2. put back everything that anybody — the applier's new configuration included — still
//      owns, taken from the merged object;
//   3. of what is still missing, remove only what the applier really owned before; anything
//      else that vanished with a removed parent (unowned defaults, server-set fields) stays.
// The set difference is what matters: a field the new configuration still sets is owned by
// the applier's new set and therefore never lost, whatever `.` members the old set carried
// (kubectl's client-side → server-side apply upgrade writes such members).
import type { JsonObject } from '../patch/json-value.ts';
import type { FieldSet } from './fieldset.ts';
import type { ApplySchema } from './schema.ts';
import { ensureNamedFieldsAreMembers, fieldsOf, removeItems } from './walk.ts';

const ownedShape = (obj: JsonObject, schema: ApplySchema) => ensureNamedFieldsAreMembers(fieldsOf(obj, schema, '', 0, true));

/**
 * `merged` without the fields in `lastSet` (the applier's previous set) that no manager in
 * `allOwned` (every manager's set after this apply, the applier's new set included) claims.
 */
export function pruneDropped(merged: JsonObject, lastSet: FieldSet | undefined, allOwned: FieldSet, schema: ApplySchema): JsonObject {
  if (lastSet === undefined || lastSet.empty) return merged;
  const last = ensureNamedFieldsAreMembers(lastSet);
  const mergedShape = ownedShape(merged, schema);

  const removed = removeItems(merged, last, schema);
  const keep = ownedShape(removed, schema).union(ensureNamedFieldsAreMembers(allOwned));
  const ownedBack = removeItems(merged, mergedShape.difference(keep), schema);

  const gone = mergedShape.difference(ownedShape(ownedBack, schema)).intersection(last);
  return removeItems(merged, gone, schema);
}
