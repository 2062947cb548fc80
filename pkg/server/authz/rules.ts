// PolicyRule matching, as kube's rbac validation.RuleAllows: verbs, API groups, resources
// (with `resource/subresource` and `*/subresource`), resourceNames (an empty list allows
// every name; a non-empty list never matches a request without a name), non-resource URLs
// (exact, or a prefix ending in `*`).
import type { PolicyRule } from '../../../apis/rbac/v1/types.ts';
import type { NonResourceAttributes, ResourceAttributes } from './attributes.ts';

function has(list: readonly string[] | undefined, v: string): boolean {
  return (list ?? []).some((x) => x === '*' || x === v);
}

export function resourceRuleAllows(rule: PolicyRule, a: ResourceAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!has(rule.apiGroups, a.apiGroup)) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resourceOK = (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (a.subresource !== '' && r === `*/${a.subresource}`),
  );
  if (!resourceOK) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== '' && names.includes(a.name));
}

export function nonResourceRuleAllows(rule: PolicyRule, a: NonResourceAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))));
}
