// Rule coverage for RBAC escalation prevention (kube's rbac/validation Covers): do the
// rules a user holds ("owner") grant everything a Role, ClusterRole or binding would grant
// ("servant")? A servant rule is split into simple rules — one verb, one API group, one
// resource, at most one resource name, or one non-resource URL — and each must be covered
// by a single owner rule. Wildcards count only where the owner has them: an owner `*`
// covers everything of its kind, but a servant `*` needs an owner `*`.
//
// Stored rules are read defensively (a missing list is an empty one), never trusted to be
// schema-valid.
//
// The split is a product of the rule's lists, so a hostile Role (thousands of groups ×
// resources × names) could make it explode. Before splitting, a rule covered whole by one
// owner rule is accepted at once (the common case: an admin with `*`); splitting shares one
// budget of MAX_SIMPLE_RULES pieces per check (many medium rules must not add up to a DoS),
// and a rule that does not fit in what is left is judged whole only — which can refuse a
// rule several owner rules cover together, but never accepts one they do not.
import type { PolicyRule } from '../../../apis/rbac/v1/types.ts';

/** Upper bound on simple rules produced in one coverage check (all servant rules together). */
export const MAX_SIMPLE_RULES = 50_000;

const ALL = '*';

/** A rule's lists as sets, built once per owner rule. */
interface OwnerSets {
  verbs: Set<string>;
  apiGroups: Set<string>;
  resources: Set<string>;
  resourceNames: Set<string>;
  nonResourceURLs: string[];
}

function setsOf(r: PolicyRule): OwnerSets {
  return {
    verbs: new Set(r.verbs ?? []),
    apiGroups: new Set(r.apiGroups ?? []),
    resources: new Set(r.resources ?? []),
    resourceNames: new Set(r.resourceNames ?? []),
    nonResourceURLs: r.nonResourceURLs ?? [],
  };
}

/** Owner has `*` or every listed value literally (a servant `*` is just a value here). */
function coversAll(owner: Set<string>, servant: readonly string[]): boolean {
  return owner.has(ALL) || servant.every((v) => owner.has(v));
}

// Resources: exact, owner `*`, or owner `*/<sub>` for a servant `<resource>/<sub>`.
function resourcesCovered(owner: Set<string>, servant: readonly string[]): boolean {
  if (owner.has(ALL)) return true;
  return servant.every((r) => {
    if (owner.has(r)) return true;
    const slash = r.indexOf('/');
    return slash >= 0 && owner.has(`*/${r.slice(slash + 1)}`);
  });
}

/** Non-resource URLs: exact, or an owner prefix ending in `*`. */
function urlsCovered(owner: readonly string[], servant: readonly string[]): boolean {
  return servant.every((u) => owner.some((o) => o === u || (o.endsWith(ALL) && u.startsWith(o.slice(0, -1)))));
}

function ruleCovers(owner: OwnerSets, servant: PolicyRule): boolean {
  const names = servant.resourceNames ?? [];
  const namesOK = owner.resourceNames.size === 0 || (names.length > 0 && names.every((n) => owner.resourceNames.has(n)));
  return (
    namesOK &&
    coversAll(owner.verbs, servant.verbs ?? []) &&
    coversAll(owner.apiGroups, servant.apiGroups ?? []) &&
    resourcesCovered(owner.resources, servant.resources ?? []) &&
    urlsCovered(owner.nonResourceURLs, servant.nonResourceURLs ?? [])
  );
}

/** How many simple rules `rule` splits into. */
function simpleCount(rule: PolicyRule): number {
  const verbs = (rule.verbs ?? []).length;
  const resource = verbs * (rule.apiGroups ?? []).length * (rule.resources ?? []).length * Math.max(1, (rule.resourceNames ?? []).length);
  return resource + verbs * (rule.nonResourceURLs ?? []).length;
}

/** The simple rules of `rule` (kube's BreakdownRule). */
export function* breakdownRule(rule: PolicyRule): Generator<PolicyRule> {
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) yield { verbs: [verb], apiGroups: [group], resources: [resource] };
        for (const name of names) yield { verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] };
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) {
    for (const verb of rule.verbs ?? []) yield { verbs: [verb], nonResourceURLs: [url] };
  }
}

/**
 * The parts of `servant` that `owner` does not cover (empty: fully covered). Missing
 * simple rules are compacted (same target, verbs merged) for a readable error.
 */
export function uncoveredRules(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  const owners = owner.map(setsOf);
  const covered = (r: PolicyRule) => owners.some((o) => ruleCovers(o, r));
  const missing: PolicyRule[] = [];
  let budget = MAX_SIMPLE_RULES;
  for (const rule of servant) {
    if (covered(rule)) continue;
    const pieces = simpleCount(rule);
    if (pieces > budget) {
      missing.push(rule);
      continue;
    }
    budget -= pieces;
    for (const simple of breakdownRule(rule)) if (!covered(simple)) missing.push(simple);
  }
  return compactRules(missing);
}

/** Merge rules that differ only in their verbs; stable, sorted output. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const byTarget = new Map<string, PolicyRule>();
  for (const r of rules) {
    const target = { ...r, verbs: [] as string[] };
    const key = JSON.stringify([r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []]);
    const seen = byTarget.get(key) ?? target;
    for (const v of r.verbs ?? []) if (!seen.verbs.includes(v)) seen.verbs.push(v);
    byTarget.set(key, seen);
  }
  return [...byTarget.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/** Go's %q of a string list: `["a" "b"]`. */
export function quoteList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/** One rule as kube prints it in escalation errors: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}`. */
export function formatRule(r: PolicyRule): string {
  const parts: string[] = [];
  if ((r.apiGroups ?? []).length > 0) parts.push(`APIGroups:${quoteList(r.apiGroups!)}`);
  if ((r.resources ?? []).length > 0) parts.push(`Resources:${quoteList(r.resources!)}`);
  if ((r.resourceNames ?? []).length > 0) parts.push(`ResourceNames:${quoteList(r.resourceNames!)}`);
  if ((r.nonResourceURLs ?? []).length > 0) parts.push(`NonResourceURLs:${quoteList(r.nonResourceURLs!)}`);
  parts.push(`Verbs:${quoteList(r.verbs ?? [])}`);
  return `{${parts.join(', ')}}`;
}
