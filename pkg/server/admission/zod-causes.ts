// Converts zod issues into Kubernetes StatusCauses (field.Error), worded as the API server
// words them: "Required value", "Unsupported value: ...", "Invalid value: ...".
import type { z } from 'zod';
import type { FieldCause } from '../../../apis/resource.ts';
import { describeValue, formatFieldPath, jsonTypeOf, valueAt } from './field-path.ts';

const EXPECTED_TYPE_NAMES: Record<string, string> = {
  int: 'integer', record: 'object', object: 'object', array: 'array', string: 'string',
  number: 'number', boolean: 'boolean', nan: 'number',
};

export function issuesToCauses(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: PropertyKey[] = []): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const issue of issues) causes.push(...issueToCauses(issue, input, [...prefix, ...issue.path]));
  return dedupe(causes);
}

function issueToCauses(issue: z.core.$ZodIssue, input: unknown, path: PropertyKey[]): FieldCause[] {
  const field = formatFieldPath(path);
  const value = valueAt(input, path);
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) return [{ reason: 'FieldValueRequired', field, message: 'Required value' }];
      const expected = EXPECTED_TYPE_NAMES[issue.expected] ?? issue.expected;
      const got = jsonTypeOf(value);
      return [{
        reason: 'FieldValueTypeInvalid',
        field,
        message: `Invalid value: "${got}": ${field} in body must be of type ${expected}: "${got}"`,
      }];
    }
    case 'invalid_value': {
      const supported = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return [{ reason: 'FieldValueNotSupported', field, message: `Unsupported value: ${describeValue(value)}: supported values: ${supported}` }];
    }
    case 'too_small':
      // An empty required string reads better as "Required value", as the real validators say.
      if (issue.origin === 'string' && Number(issue.minimum) === 1 && value === '') {
        return [{ reason: 'FieldValueRequired', field, message: 'Required value' }];
      }
      return [{ reason: 'FieldValueInvalid', field, message: `Invalid value: ${describeValue(value)}: ${issue.message}` }];
    case 'invalid_key':
      return issue.issues.map((inner) => ({
        reason: 'FieldValueInvalid',
        field,
        message: `Invalid value: ${JSON.stringify(String(path[path.length - 1] ?? ''))}: ${inner.message}`,
      }));
    case 'invalid_element':
      return issue.issues.flatMap((inner) => issueToCauses(inner, input, [...path, ...inner.path]));
    case 'unrecognized_keys':
      return issue.keys.map((k) => {
        const f = formatFieldPath([...path, k]);
        return { reason: 'FieldValueInvalid', field: f, message: `unknown field "${f}"` };
      });
    default:
      return [{ reason: 'FieldValueInvalid', field, message: `Invalid value: ${describeValue(value)}: ${issue.message}` }];
  }
}

function dedupe(causes: FieldCause[]): FieldCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => {
    const key = `${c.reason}\u0000${c.field}\u0000${c.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
