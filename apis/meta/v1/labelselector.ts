// meta/v1 LabelSelector and its validation as apimachinery's ValidateLabelSelector does it:
// keys are qualified names, values label values, operators one of four, and `values` present
// exactly for In/NotIn. Causes carry the full field path so a 422 names the offending field.
import { z } from 'zod';
import type { FieldCause } from '../../resource.ts';
import { isQualifiedName, isValidLabelValue } from './validation.ts';

export const LabelSelectorRequirementSchema = z.object({
  key: z.string().describe('key is the label key that the selector applies to.'),
  operator: z.string().describe("operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist."),
  values: z.array(z.string()).optional().describe('values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.'),
}).describe('A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.');

export const LabelSelectorSchema = z.object({
  matchLabels: z.record(z.string(), z.string()).optional().describe('matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.'),
  matchExpressions: z.array(LabelSelectorRequirementSchema).optional().describe('matchExpressions is a list of label selector requirements. The requirements are ANDed.'),
}).describe('A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.');
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function invalid(field: string, value: string, msg: string): FieldCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${msg}` };
}

/** Causes for one selector at `path` (e.g. `spec.locationSelectors[0]`); empty when valid. */
export function validateLabelSelector(selector: unknown, path: string): FieldCause[] {
  if (selector === undefined || selector === null || typeof selector !== 'object') return [];
  const causes: FieldCause[] = [];
  const sel = selector as LabelSelector;
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    for (const e of isQualifiedName(key)) causes.push(invalid(`${path}.matchLabels`, key, e));
    for (const e of isValidLabelValue(value)) causes.push(invalid(`${path}.matchLabels`, value, e));
  }
  (sel.matchExpressions ?? []).forEach((req, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const hasValues = (req.values ?? []).length > 0;
    if (!OPERATORS.includes(req.operator)) {
      causes.push({
        reason: 'FieldValueNotSupported',
        field: `${at}.operator`,
        message: `Unsupported value: ${JSON.stringify(req.operator)}: supported values: ${OPERATORS.map((o) => JSON.stringify(o)).join(', ')}`,
      });
    } else if ((req.operator === 'In' || req.operator === 'NotIn') && !hasValues) {
      causes.push({ reason: 'FieldValueRequired', field: `${at}.values`, message: "Required value: must be specified when `operator` is 'In' or 'NotIn'" });
    } else if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && hasValues) {
      causes.push({ reason: 'FieldValueForbidden', field: `${at}.values`, message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
    }
    for (const e of isQualifiedName(req.key)) causes.push(invalid(`${at}.key`, req.key, e));
    (req.values ?? []).forEach((v, j) => {
      for (const e of isValidLabelValue(v)) causes.push(invalid(`${at}.values[${j}]`, v, e));
    });
  });
  return causes;
}
