// Dropping what an applier stopped applying, as structured-merge-diff's Updater.prune does:
//   1. remove from the merged object everything the applier owned before (its last set, with
//      the struct fields leading to owned leaves counted as owned, so a `.` member on a map
//      removes the whole map);
//   2. put back everything that anybody — the applier's new configuration included — still
//      owns, taken from the merged object;
//   3. of what is still missing, remove only what the applier really owned before; anything
//      else that vanished with a removed parent (unowned defaults, server-set fields such as a
//      SyncTarget's key label next to the applier's own labels) stays.
// The set difference is what matters: a field the new configuration still sets is owned by
// the applier's new set and therefore never lost, whatever `.` members the old set carried
// (kubectl's client-side → server-side apply upgrade writes such members).
import { isObject, type JsonObject } from '../patch/json-value.ts';
import type { FieldSet } from './fieldset.ts';
import type { ApplySchema } from './schema.ts';
import { ensureNamedFieldsAreMembers, fieldsOf, removeItems } from './walk.ts';

/** The fields `obj` itself sets (structured-merge-diff's ToFieldSet); stored objects, so lenient. */
const fieldsIn = (obj: JsonObject, schema: ApplySchema) => fieldsOf(obj, schema, '', 0, true);
const ownedShape = (obj: JsonObject, schema: ApplySchema) => ensureNamedFieldsAreMembers(fieldsIn(obj, schema));

/**
 * `merged` without the fields in `lastSet` (the applier's previous set) that no manager in
 * `allOwned` (every manager's set after this apply, the applier's new set included) claims.
 */
export function pruneDropped(merged: JsonObject, lastSet: FieldSet | undefined, allOwned: FieldSet, schema: ApplySchema): JsonObject {
  if (lastSet === undefined || lastSet.empty) return merged;
  const last = ensureNamedFieldsAreMembers(lastSet);
  const mergedFields = fieldsIn(merged, schema);
  const mergedShape = ensureNamedFieldsAreMembers(mergedFields);

  const removed = removeItems(merged, last, schema);
  const keep = ownedShape(removed, schema).union(ensureNamedFieldsAreMembers(allOwned));
  const ownedBack = removeItems(merged, mergedShape.difference(keep), schema);

  // Step 3 compares the objects' own fields (structured-merge-diff's ToFieldSet), without the
  // named-field members of steps 1 and 2: with them, a map the applier had a key in (labels)
  // would itself count as gone once step 2 emptied it, and its keys that nobody owns (a
  // server-set label) would go with it.
  const gone = mergedFields.difference(fieldsIn(ownedBack, schema)).intersection(last);
  const out = removeItems(merged, gone, schema);
  dropEmptied(merged, out, allOwned);
  return out;
}

/**
 * Maps and lists the pruning above emptied go too, as kube's omitempty fields do (labels, data,
 * finalizers): dropping the applier's only label leaves no `labels: {}` behind. One that was
 * empty before pruning, or that a manager owns as such (an applied `spec: {}`), stays.
 */
function dropEmptied(before: JsonObject, after: JsonObject, owned: FieldSet | undefined): void {
  for (const key of Object.keys(after)) {
    const was = before[key];
    const now = after[key];
    const node = owned?.children.get(`f:${key}`);
    if (isObject(was) && isObject(now)) {
      if (Object.keys(now).length > 0) dropEmptied(was, now, node);
      else if (Object.keys(was).length > 0 && !node?.member) delete after[key];
    } else if (Array.isArray(was) && Array.isArray(now) && now.length === 0 && was.length > 0 && !node?.member) {
      delete after[key];
    }
  }
}
