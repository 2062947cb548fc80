// Admission as handlers use it: schema defaults and validation, unknown-field policy from
// ?fieldValidation (Strict | Warn | Ignore; kube's default is Warn), warnings as HTTP
// `Warning: 299` headers, failures as 422 Invalid naming each bad field.
import { newBadRequest, newInvalid } from '../../apierrors/errors.ts';
import { admit, type FieldValidation } from '../admission/admit.ts';
import { asKObject, type KObject } from '../registry/object.ts';
import type { HandlerContext } from './context.ts';

export function fieldValidationOf(url: URL): FieldValidation {
  const v = url.searchParams.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw newBadRequest(`fieldValidation must be one of Strict, Warn, Ignore, got "${v}"`);
}

export function addWarnings(ctx: HandlerContext, warnings: string[]): void {
  if (warnings.length === 0) return;
  const existing = ctx.res.getHeader('Warning');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  for (const w of warnings) list.push(`299 - ${JSON.stringify(w)}`);
  ctx.res.setHeader('Warning', list);
}

/** Run admission on a complete object; throws 422 Invalid. */
export function admitObject(ctx: HandlerContext, obj: KObject, old: KObject | undefined, validation: FieldValidation, apply = false): KObject {
  const result = admit(ctx.def, obj, { fieldValidation: validation, apply, ...(old ? { old } : {}) });
  if (!result.ok) {
    // Strict unknown fields fail while decoding in kube: 400, not 422.
    if (result.badRequestMessage) throw newBadRequest(result.badRequestMessage);
    throw newInvalid(ctx.def.group, ctx.def.kind, obj.metadata.name ?? '', result.causes);
  }
  addWarnings(ctx, result.warnings);
  return asKObject(result.object as Record<string, unknown>);
}
