// Admission of an update without parsing again what it did not change. A merge or JSON patch
// copies only the parts it changes (pkg/server/patch is copy-on-write), so a status write
// arrives holding the stored object's own spec and metadata, and an update built from a read
// often does too. The stored object passed this same admission when it was written, and a
// schema parse of its own output gives that output back, so parsing those parts again only
// costs: the whole-object parse of a SyncTarget was ~5 % of a status write's CPU, and its fresh
// copy of every value also defeated the identity shortcut of the ownership bookkeeping after
// it (apply/walk.ts compare walked the whole object). As with kube's validation ratcheting
// (KEP-4008), a value the update leaves as it was is not judged again.
//
// Only a plain z.object qualifies: one with object-level checks (refine) or a catchall may
// judge or keep keys across fields, so it is parsed whole as before. The same holds one level
// down and deeper, for a field that is such an object (or an optional one) on both sides: a
// status write's status is new, but its conditions are the stored ones, and their parse and the
// ownership walk over them were most of what a heartbeat's admission and bookkeeping still cost.
// The parts that changed are parsed with their own field schemas and assembled in the schema's
// key order, as a whole parse orders them; a reused part keeps the stored object's own key order
// (the server appends uid, creationTimestamp and the like after admission), which no reader of
// JSON can tell apart.
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { isPlainObject } from '../registry/object.ts';
import { setOwn } from '../patch/json-value.ts';

export type PartialParse =
  | { success: true; data: Record<string, unknown> }
  | { success: false; issues: z.core.$ZodIssue[] };

/**
 * Which parts of an update are the stored object's own, level by level: `reused` keys hold
 * `old`'s own value at the same position (the same object or array); `nested` keys hold a plain
 * object that changed somewhere inside, planned one level down (a heartbeat's status is new,
 * but its conditions are the stored ones).
 */
export interface ReusePlan {
  reused: Set<string>;
  nested: Map<string, { schema: z.ZodObject; plan: ReusePlan }>;
}

/** A z.object whose parse can be split by field: no object-level checks, no catchall. */
function splittable(schema: z.ZodType): schema is z.ZodObject {
  return schema instanceof z.ZodObject && schema.def.catchall === undefined && (schema.def.checks?.length ?? 0) === 0;
}

/**
 * The splittable z.object a field's present value is parsed with: the field schema itself, or
 * the one an optional() wraps (which parses a present value exactly as its inner schema does).
 * Other wrappers (default, nullable, pipes) are left to a whole parse of the field.
 */
function objectSchemaOf(field: z.ZodType): z.ZodObject | undefined {
  if (splittable(field)) return field;
  if (field instanceof z.ZodOptional && (field.def.checks?.length ?? 0) === 0) {
    const inner = field.def.innerType as z.ZodType;
    if (splittable(inner)) return inner;
  }
  return undefined;
}

/**
 * The plan for `input` against `schema` with `old` the stored object, or undefined when nothing
 * can be reused (the schema is not splittable, or no part is old's own at any level).
 */
export function reusePlan(schema: z.ZodType, input: Record<string, unknown>, old: Record<string, unknown>): ReusePlan | undefined {
  if (!splittable(schema)) return undefined;
  let plan: ReusePlan | undefined;
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (!Object.hasOwn(input, key)) continue;
    const v = input[key];
    const o = old[key];
    if (typeof v === 'object' && v !== null && v === o) {
      (plan ??= { reused: new Set(), nested: new Map() }).reused.add(key);
      continue;
    }
    if (!isPlainObject(v) || !isPlainObject(o)) continue;
    const inner = objectSchemaOf(field);
    const sub = inner ? reusePlan(inner, v, o) : undefined;
    if (inner && sub) (plan ??= { reused: new Set(), nested: new Map() }).nested.set(key, { schema: inner, plan: sub });
  }
  return plan;
}

/**
 * The parse of `input` against `schema` following `plan` (see reusePlan). Reused values at the
 * top level are shallow copies: callers set fields on what admission returns (metadata's
 * resourceVersion and managedFields, a strategy's status fields), and that must never reach the
 * stored object. One level down and deeper they are the stored values themselves, which no
 * caller writes to (under npm test the watch cache verifies that every update left its copy
 * untouched), so the ownership bookkeeping after admission skips them by identity. Changed
 * values are parsed with their field schemas; keys come in the schema's order, as a whole parse
 * gives them, and issues carry full paths, as a whole parse's do.
 */
export function parseReusing(schema: z.ZodObject, input: Record<string, unknown>, plan: ReusePlan): PartialParse {
  const issues: z.core.$ZodIssue[] = [];
  const data = parseLevel(schema, input, plan, [], issues);
  return issues.length > 0 ? { success: false, issues } : { success: true, data };
}

function parseLevel(schema: z.ZodObject, input: Record<string, unknown>, plan: ReusePlan, path: PropertyKey[], issues: z.core.$ZodIssue[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const value = input[key];
    if (plan.reused.has(key)) {
      if (path.length > 0) data[key] = value;
      else data[key] = Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) };
      continue;
    }
    const nested = plan.nested.get(key);
    if (nested) {
      data[key] = parseLevel(nested.schema, value as Record<string, unknown>, nested.plan, [...path, key], issues);
      continue;
    }
    const r = field.safeParse(value);
    if (!r.success) {
      for (const issue of r.error.issues) issues.push({ ...issue, path: [...path, key, ...issue.path] });
      continue;
    }
    // A whole parse keeps a key the input has (even as undefined) and one a default fills in.
    if (Object.hasOwn(input, key) || r.data !== undefined) data[key] = r.data;
  }
  return data;
}

/** `input` without what the plan reuses, at every level: what the unknown-field walk still has to look at. */
export function withoutReused(input: Record<string, unknown>, plan: ReusePlan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (plan.reused.has(k)) continue;
    const nested = plan.nested.get(k);
    // setOwn, not assignment: an own "__proto__" key (JSON.parse makes one) must stay a key
    // for the walk to report, not become the copy's prototype.
    setOwn(out, k, nested ? withoutReused(v as Record<string, unknown>, nested.plan) : v);
  }
  return out;
}

let selfCheck = false;

/**
 * Test hook (KPLANE_TEST_VERIFY_SHARED, set by `npm test`): every admission that reuses parts
 * also parses the whole object and throws if the two disagree in outcome, values or key order,
 * so every update the test suites make checks the split against the whole parse.
 */
export function setReuseSelfCheck(enabled: boolean): void {
  selfCheck = enabled;
}

export function reuseSelfCheckEnabled(): boolean {
  return selfCheck;
}

/**
 * Throws when the split parse and the whole parse of the same input disagree in outcome or in
 * values (key order inside a reused part aside, see above), or in the order of the top-level keys.
 */
export function assertSameAsWhole(schema: z.ZodType, input: unknown, split: PartialParse): void {
  const whole = schema.safeParse(input);
  const same = whole.success && split.success
    ? isDeepStrictEqual(whole.data, split.data) && Object.keys(whole.data as object).join() === Object.keys(split.data).join()
    : whole.success === split.success;
  if (!same) {
    throw new Error(`admission reusing unchanged fields disagrees with a whole parse: whole ${JSON.stringify(whole.success ? whole.data : whole.error.issues)}, split ${JSON.stringify(split.success ? split.data : split.issues)}`);
  }
}
