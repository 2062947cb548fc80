// Admission for one object against its ResourceDefinition: zod parse (defaults), unknown
// fields per fieldValidation (KEP-2885), ObjectMeta rules and the resource's own validate().
import type { FieldCause, ResourceDefinition } from '../../../apis/resource.ts';
import { z } from 'zod';
import { findUnknownFields } from './unknown-fields.ts';
import { assertSameAsWhole, parseReusing, reusePlan, reuseSelfCheckEnabled, withoutReused, type PartialParse, type ReusePlan } from './reuse.ts';
import { isPlainObject } from '../registry/object.ts';
import { validateObjectMeta } from './object-meta.ts';
import { issuesToCauses } from './zod-causes.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface AdmitOptions {
  /** Defaults to Warn when absent, as the real server does ("the default in v1.23+"); kubectl sends Strict. */
  fieldValidation?: FieldValidation;
  /** The stored object for updates; passed to def.validate for immutability rules. */
  old?: Record<string, unknown>;
  /** Set for server-side apply: unknown fields are then worded as structured-merge-diff does. */
  apply?: boolean;
}

export type AdmitResult =
  | { ok: true; object: Record<string, unknown>; warnings: string[] }
  | {
      ok: false;
      causes: FieldCause[];
      /**
       * Set when the object was rejected for unknown fields under Strict. The real server
       * fails such a request while decoding, before validation, with 400 BadRequest and
       * this message; answer with it (newBadRequest) rather than 422 Invalid.
       */
      badRequestMessage?: string;
    };

/** Warning text for one unknown field, as sent in `Warning: 299 - "..."` headers. */
export function unknownFieldWarning(path: string): string {
  return `unknown field "${path}"`;
}

export function admit(def: ResourceDefinition, input: unknown, options: AdmitOptions = {}): AdmitResult {
  const fieldValidation = options.fieldValidation ?? 'Warn';
  // An update's values that are still the stored object's own were admitted when it was
  // written: neither parsed nor searched for unknown fields again (reuse.ts).
  const plan = options.old !== undefined && isPlainObject(input) ? reusePlan(def.schema, input, options.old) : undefined;
  const unknown = fieldValidation === 'Ignore' ? [] : findUnknownFields(def.schema, plan && isPlainObject(input) ? withoutReused(input, plan) : input);

  if (fieldValidation === 'Strict' && unknown.length > 0) {
    return { ok: false, causes: unknownFieldCauses(unknown, options.apply), badRequestMessage: strictMessage(def, unknown, options.apply) };
  }

  const parsed = parseObject(def, input, plan);
  if (!parsed.success) {
    const metaCauses = typeof input === 'object' && input !== null ? validateObjectMeta(def, input as Record<string, unknown>) : [];
    return { ok: false, causes: [...issuesToCauses(parsed.issues, input), ...metaCauses] };
  }
  const object = parsed.data;
  const causes = [...validateObjectMeta(def, object), ...(def.validate?.(object, options.old) ?? [])];
  if (causes.length > 0) return { ok: false, causes };
  return { ok: true, object, warnings: unknown.map(unknownFieldWarning) };
}

function parseObject(def: ResourceDefinition, input: unknown, plan: ReusePlan | undefined): PartialParse {
  if (plan && isPlainObject(input) && def.schema instanceof z.ZodObject) {
    const split = parseReusing(def.schema, input, plan);
    if (reuseSelfCheckEnabled()) assertSameAsWhole(def.schema, input, split);
    return split;
  }
  const whole = def.schema.safeParse(input);
  return whole.success ? { success: true, data: whole.data as Record<string, unknown> } : { success: false, issues: whole.error.issues };
}

function unknownFieldCauses(paths: string[], apply = false): FieldCause[] {
  return paths.map((p) => apply
    ? { reason: 'FieldValueInvalid', field: `.${p}`, message: 'field not declared in schema' }
    : { reason: 'FieldValueInvalid', field: p, message: unknownFieldWarning(p) });
}

function strictMessage(def: ResourceDefinition, paths: string[], apply = false): string {
  if (apply) {
    // structured-merge-diff's wording (sigs.k8s.io/structured-merge-diff typed/validate.go).
    const gv = def.group === '' ? def.version : `${def.group}/${def.version}`;
    return `failed to create typed patch object (${gv}, Kind=${def.kind}): ${paths.map((p) => `.${p}: field not declared in schema`).join(', ')}`;
  }
  // apiserver handlers transformDecodeError + runtime.strictDecodingError.
  return `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${paths.map(unknownFieldWarning).join(', ')}`;
}
