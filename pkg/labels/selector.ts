// Label selectors as apimachinery parses and matches them (k8s.io/apimachinery/pkg/labels):
// `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, and `a>1`/`a<1`.
// Requirements are ANDed and sorted by key; error texts follow the Go parser's wording.
import { invalidValue, labelKeyErrors, labelValueErrors } from './validation.ts';

export type LabelSelectorErrorKind = 'BadRequest';

/** Maps to HTTP 400 BadRequest (a bad `labelSelector` query) or 422 where a caller validates a spec. */
export class LabelSelectorError extends Error {
  readonly kind: LabelSelectorErrorKind = 'BadRequest';
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Sorted and unique, as Go's sets.String.List(). */
  values: string[];
}

export interface LabelSelector {
  /** Undefined means "matches nothing" (a nil metav1.LabelSelector); [] means everything. */
  readonly requirements: readonly LabelRequirement[] | undefined;
}

export type Labels = Readonly<Record<string, string>> | undefined | null;

export function everythingLabels(): LabelSelector {
  return { requirements: [] };
}

export function nothingLabels(): LabelSelector {
  return { requirements: undefined };
}

export function labelsMatch(selector: LabelSelector, labels: Labels): boolean {
  if (selector.requirements === undefined) return false;
  for (const r of selector.requirements) if (!requirementMatches(r, labels)) return false;
  return true;
}

export function isEverything(selector: LabelSelector): boolean {
  return selector.requirements !== undefined && selector.requirements.length === 0;
}

function lookup(labels: Labels, key: string): string | undefined {
  if (labels === undefined || labels === null || !Object.hasOwn(labels, key)) return undefined;
  const v = labels[key];
  return typeof v === 'string' ? v : undefined;
}

const INT_RE = /^[+-]?\d+$/;

function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  const value = lookup(labels, r.key);
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return value !== undefined && r.values.includes(value);
    case '!=':
    case 'notin':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return value !== undefined;
    case '!':
      return value === undefined;
    case 'gt':
    case 'lt': {
      if (value === undefined || !INT_RE.test(value) || r.values.length !== 1) return false;
      const have = BigInt(value);
      const want = BigInt(r.values[0] ?? '0');
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

/** Canonical text, as Selector.String(): requirements in key order joined by `,`. */
export function labelSelectorToString(selector: LabelSelector): string {
  if (selector.requirements === undefined) return '';
  return selector.requirements.map(requirementToString).join(',');
}

function requirementToString(r: LabelRequirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0] ?? ''}`;
    case 'lt':
      return `${r.key}<${r.values[0] ?? ''}`;
    default:
      return `${r.key}${r.operator}${r.values[0] ?? ''}`;
  }
}

/**
 * Builds one requirement with NewRequirement's checks. Errors as an aggregate: one error
 * prints alone, several print as `[a, b]`.
 */
export function newRequirement(key: string, operator: LabelOperator, values: readonly string[], keyPath = 'key'): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length > 0) errs.push(invalidValue(keyPath, key, keyErrs.join('; ')));
  const sorted = [...new Set(values)].sort();
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(invalidValue('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalidValue('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalidValue('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalidValue('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!INT_RE.test(v)) errs.push(invalidValue(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) errs.push(invalidValue(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  if (errs.length === 1) throw new LabelSelectorError(errs[0] ?? '');
  if (errs.length > 1) throw new LabelSelectorError(`[${errs.join(', ')}]`);
  return { key, operator, values: sorted };
}

export function sortRequirements(reqs: LabelRequirement[]): LabelRequirement[] {
  // Stable sort by key only, as sort.Sort(ByKey) compares keys alone.
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The value a selector pins for `key` (`key=v`, `key==v`, `key in (v)`), as RequiresExactMatch. */
export function requiresExactMatch(selector: LabelSelector, key: string): string | undefined {
  for (const r of selector.requirements ?? []) {
    if (r.key !== key) continue;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
  return undefined;
}
