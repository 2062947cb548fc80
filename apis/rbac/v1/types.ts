// Parts shared by the four rbac.authorization.k8s.io/v1 kinds: PolicyRule, Subject, RoleRef.
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { FieldCause } from '../../resource.ts';

export const GROUP = 'rbac.authorization.k8s.io';
export const VERSION = 'v1';
export const RBAC_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const PolicyRuleSchema = z.object({
  verbs: z.array(z.string()).describe("Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs."),
  apiGroups: z.array(z.string()).optional().describe('APIGroups is the name of the APIGroup that contains the resources. If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed. "" represents the core API group and "*" represents all API groups.'),
  resources: z.array(z.string()).optional().describe("Resources is a list of resources this rule applies to. '*' represents all resources."),
  resourceNames: z.array(z.string()).optional().describe('ResourceNames is an optional white list of names that the rule applies to. An empty set means that everything is allowed.'),
  nonResourceURLs: z.array(z.string()).optional().describe('NonResourceURLs is a set of partial urls that a user should have access to. *s are allowed, but only as the full, final step in the path. Rules can either apply to API resources (such as "pods" or "secrets") or non-resource URL paths (such as "/api"), but not both.'),
}).describe('PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.');
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

export const SubjectSchema = z.object({
  kind: z.string().describe('Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount".'),
  apiGroup: z.string().optional().describe('APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.'),
  name: z.string().describe('Name of the object being referenced.'),
  namespace: z.string().optional().describe('Namespace of the referenced object. If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error.'),
}).describe('Subject contains a reference to the object or user identities a role binding applies to.');
export type Subject = z.infer<typeof SubjectSchema>;

export const RoleRefSchema = z.object({
  apiGroup: z.string().describe('APIGroup is the group for the resource being referenced'),
  kind: z.string().describe('Kind is the type of resource being referenced'),
  name: z.string().describe('Name is the name of resource being referenced'),
}).describe('RoleRef contains information that points to the role being used');
export type RoleRef = z.infer<typeof RoleRefSchema>;

export const AggregationRuleSchema = z.object({
  clusterRoleSelectors: z.array(z.record(z.string(), z.unknown())).optional().describe('ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules.'),
}).describe('AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole');

/** Bindings may not change their roleRef: the real server forces delete-and-recreate. */
export function validateBinding(obj: Record<string, unknown>, old?: Record<string, unknown>): FieldCause[] {
  const causes: FieldCause[] = [];
  if (old && !isDeepStrictEqual(obj.roleRef, old.roleRef)) {
    causes.push({ reason: 'FieldValueInvalid', field: 'roleRef', message: `Invalid value: ${JSON.stringify(obj.roleRef)}: cannot change roleRef` });
  }
  const subjects = Array.isArray(obj.subjects) ? obj.subjects as Subject[] : [];
  subjects.forEach((s, i) => {
    if (!['User', 'Group', 'ServiceAccount'].includes(s.kind)) {
      causes.push({ reason: 'FieldValueNotSupported', field: `subjects[${i}].kind`, message: `Unsupported value: ${JSON.stringify(s.kind)}: supported values: "ServiceAccount", "User", "Group"` });
    }
    if (s.kind === 'ServiceAccount' && !s.namespace && obj.kind === 'ClusterRoleBinding') {
      causes.push({ reason: 'FieldValueRequired', field: `subjects[${i}].namespace`, message: 'Required value' });
    }
  });
  const ref = obj.roleRef as RoleRef | undefined;
  if (ref) {
    const allowedKinds = obj.kind === 'ClusterRoleBinding' ? ['ClusterRole'] : ['Role', 'ClusterRole'];
    if (!allowedKinds.includes(ref.kind)) {
      causes.push({ reason: 'FieldValueNotSupported', field: 'roleRef.kind', message: `Unsupported value: ${JSON.stringify(ref.kind)}: supported values: ${allowedKinds.map((k) => `"${k}"`).join(', ')}` });
    }
    if (ref.apiGroup !== GROUP) {
      causes.push({ reason: 'FieldValueNotSupported', field: 'roleRef.apiGroup', message: `Unsupported value: ${JSON.stringify(ref.apiGroup)}: supported values: "${GROUP}"` });
    }
  }
  return causes;
}
