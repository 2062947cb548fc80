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
// judge or keep keys across fields, so it is parsed whole as before. The parts that changed are
// parsed with their own field schemas and assembled in the schema's key order, as a whole parse
// orders them; a reused part keeps the stored object's own key order (the server appends uid,
// creationTimestamp and the like after admission), which no reader of JSON can tell apart.
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

export type PartialParse =
  | { success: true; data: Record<string, unknown> }
  | { success: false; issues: z.core.$ZodIssue[] };

/**
 * Top-level keys of `input` whose values are `old`'s own (the same object or array), when the
 * schema is one whose parse can be split by field; undefined when nothing can be reused.
 */
export function reusableKeys(schema: z.ZodType, input: Record<string, unknown>, old: Record<string, unknown>): Set<string> | undefined {
  if (!(schema instanceof z.ZodObject)) return undefined;
  const def = schema.def;
  if (def.catchall !== undefined || (def.checks?.length ?? 0) > 0) return undefined;
  let keys: Set<string> | undefined;
  for (const key of Object.keys(schema.shape)) {
    const v = input[key];
    if (typeof v === 'object' && v !== null && v === old[key] && Object.hasOwn(input, key)) (keys ??= new Set()).add(key);
  }
  return keys;
}

/**
 * The parse of `input` against `schema` (a z.object, see reusableKeys) with the `reused` keys
 * taken from the input as they are, each a shallow copy: callers set fields on what admission
 * returns (metadata.resourceVersion, managedFields), and that must never reach the stored
 * object. Issues carry full paths, as a whole parse's do.
 */
export function parseReusing(schema: z.ZodObject, input: Record<string, unknown>, reused: ReadonlySet<string>): PartialParse {
  const data: Record<string, unknown> = {};
  const issues: z.core.$ZodIssue[] = [];
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const value = input[key];
    if (reused.has(key)) {
      data[key] = Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) };
      continue;
    }
    const r = field.safeParse(value);
    if (!r.success) {
      for (const issue of r.error.issues) issues.push({ ...issue, path: [key, ...issue.path] });
      continue;
    }
    // A whole parse keeps a key the input has (even as undefined) and one a default fills in.
    if (Object.hasOwn(input, key) || r.data !== undefined) data[key] = r.data;
  }
  return issues.length > 0 ? { success: false, issues } : { success: true, data };
}

/** `input` without the reused keys: what the unknown-field walk still has to look at. */
export function withoutKeys(input: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    // defineProperty, not assignment: an own "__proto__" key (JSON.parse makes one) must stay
    // a key for the walk to report, not become the copy's prototype.
    if (!keys.has(k)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
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
