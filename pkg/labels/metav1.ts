// metav1.LabelSelector ({matchLabels, matchExpressions}) → selector, as LabelSelectorAsSelector:
// a missing selector matches nothing, an empty one matches everything.
import { LabelSelectorError, newRequirement, sortRequirements } from './selector.ts';
import type { LabelOperator, LabelRequirement, LabelSelector } from './selector.ts';

export interface MetaLabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface MetaLabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: MetaLabelSelectorRequirement[] | null;
}

const OPERATORS: Record<string, LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

export function labelSelectorFromMeta(selector: MetaLabelSelector | null | undefined): LabelSelector {
  if (selector === null || selector === undefined) return { requirements: undefined };
  if (typeof selector !== 'object' || Array.isArray(selector)) throw new LabelSelectorError('label selector must be an object');
  const reqs: LabelRequirement[] = [];
  const matchLabels = selector.matchLabels ?? {};
  if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) throw new LabelSelectorError('matchLabels must be an object');
  for (const key of Object.keys(matchLabels)) {
    const value = matchLabels[key];
    if (typeof value !== 'string') throw new LabelSelectorError(`matchLabels[${key}] must be a string`);
    reqs.push(newRequirement(key, '=', [value]));
  }
  const exprs = selector.matchExpressions ?? [];
  if (!Array.isArray(exprs)) throw new LabelSelectorError('matchExpressions must be a list');
  for (const expr of exprs) {
    if (expr === null || typeof expr !== 'object' || typeof expr.key !== 'string') {
      throw new LabelSelectorError('matchExpressions entries need a key');
    }
    const op = typeof expr.operator === 'string' && Object.hasOwn(OPERATORS, expr.operator) ? OPERATORS[expr.operator] : undefined;
    if (op === undefined) throw new LabelSelectorError(`${JSON.stringify(String(expr.operator))} is not a valid label selector operator`);
    const values = expr.values ?? [];
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
      throw new LabelSelectorError(`matchExpressions[${expr.key}].values must be a list of strings`);
    }
    reqs.push(newRequirement(expr.key, op, values));
  }
  return { requirements: sortRequirements(reqs) };
}
