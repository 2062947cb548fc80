// The `immutable: true` rule shared by ConfigMap and Secret: once set, the data fields and
// the flag itself cannot change.
import { isDeepStrictEqual } from 'node:util';
import type { FieldCause } from '../../resource.ts';

export function immutableDataCauses(obj: Record<string, unknown>, old: Record<string, unknown> | undefined, fields: string[]): FieldCause[] {
  if (old?.immutable !== true) return [];
  const causes: FieldCause[] = [];
  if (obj.immutable !== true) {
    causes.push({ reason: 'FieldValueForbidden', field: 'immutable', message: 'Forbidden: field is immutable when `immutable` is set' });
  }
  for (const f of fields) {
    if (!isDeepStrictEqual(obj[f] ?? {}, old[f] ?? {})) {
      causes.push({ reason: 'FieldValueForbidden', field: f, message: 'Forbidden: field is immutable when `immutable` is set' });
    }
  }
  return causes;
}
