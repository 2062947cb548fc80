// Finds the keys of an input object that its zod schema does not declare, i.e. the keys a
// plain z.object would silently strip. These are the "unknown fields" of KEP-2885
// (fieldValidation=Strict|Warn|Ignore). We walk the schema instead of diffing the parsed
// output, because transforms (Secret stringData → data) legitimately drop declared keys.
import type { z } from 'zod';
import { formatFieldPath } from './field-path.ts';

/** The parts of zod 4's internal definition this walker reads (stable across 4.x). */
interface ZodDefLike {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): ZodDefLike {
  return (schema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Paths (e.g. `spec.foo`, `spec.rules[0].bar`) of every undeclared key in `value`, in input order. */
export function findUnknownFields(schema: z.ZodType, value: unknown): string[] {
  const out: string[] = [];
  walk(schema, value, [], out);
  return out;
}

function walk(schema: z.ZodType, value: unknown, path: PropertyKey[], out: string[]): void {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      if (def.innerType) walk(def.innerType, value, path, out);
      return;
    case 'pipe':
      // The input side declares what a client may send; the output side may be a transform.
      if (def.in) walk(def.in, value, path, out);
      return;
    case 'lazy':
      if (def.getter) walk(def.getter(), value, path, out);
      return;
    case 'object':
      walkObject(def, value, path, out);
      return;
    case 'array':
      if (Array.isArray(value) && def.element) {
        value.forEach((item, i) => {
          if (typeof item === 'object' && item !== null) walk(def.element as z.ZodType, item, [...path, i], out);
        });
      }
      return;
    case 'record':
      if (isPlainObject(value) && def.valueType) {
        for (const [k, v] of Object.entries(value)) if (typeof v === 'object' && v !== null) walk(def.valueType, v, [...path, k], out);
      }
      return;
    case 'union':
      walkUnion(def.options ?? [], value, path, out);
      return;
    case 'intersection':
      walkIntersection(def, value, path, out);
      return;
    default:
      // Scalars, unknown/any, transforms: nothing below them can be undeclared.
      return;
  }
}

function walkObject(def: ZodDefLike, value: unknown, path: PropertyKey[], out: string[]): void {
  if (!isPlainObject(value)) return;
  const shape = def.shape ?? {};
  const catchall = def.catchall ? defOf(def.catchall).type : undefined;
  for (const [key, child] of Object.entries(value)) {
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (field) {
      // Nothing below a scalar can be undeclared: most of an object's fields end here.
      if (typeof child === 'object' && child !== null) walk(field, child, [...path, key], out);
    } else if (catchall === undefined || catchall === 'never') {
      out.push(formatFieldPath([...path, key]));
    } else if (def.catchall && catchall !== 'unknown' && catchall !== 'any') {
      walk(def.catchall, child, [...path, key], out);
    }
  }
}

function walkUnion(options: z.ZodType[], value: unknown, path: PropertyKey[], out: string[]): void {
  // Report against the first member that accepts the value; if none does, parsing fails anyway.
  const match = options.find((o) => o.safeParse(value).success);
  if (match) walk(match, value, path, out);
}

function walkIntersection(def: ZodDefLike, value: unknown, path: PropertyKey[], out: string[]): void {
  if (!def.left || !def.right) return;
  const left: string[] = [];
  const right: string[] = [];
  walk(def.left, value, path, left);
  walk(def.right, value, path, right);
  // A key is unknown only if neither side declares it.
  const rightSet = new Set(right);
  for (const p of left) if (rightSet.has(p)) out.push(p);
}
