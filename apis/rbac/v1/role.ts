// rbac.authorization.k8s.io/v1 Role and ClusterRole.
import { z } from 'zod';
import type { ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';
import { validatePathSegmentName } from '../../meta/v1/validation.ts';
import { AggregationRuleSchema, GROUP, PolicyRuleSchema, RBAC_VERBS, VERSION } from './types.ts';

export const RoleSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, 'Role'),
  metadata: objectMetaField(),
  rules: z.array(PolicyRuleSchema).optional().describe('Rules holds all the PolicyRules for this Role'),
}).describe('Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.');
export type Role = z.infer<typeof RoleSchema>;

export const ClusterRoleSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, 'ClusterRole'),
  metadata: objectMetaField(),
  rules: z.array(PolicyRuleSchema).optional().describe('Rules holds all the PolicyRules for this ClusterRole'),
  aggregationRule: AggregationRuleSchema.optional().describe('AggregationRule is an optional field that describes how to build the Rules for this ClusterRole.'),
}).describe('ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.');
export type ClusterRole = z.infer<typeof ClusterRoleSchema>;

export const RoleResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'Role',
  listKind: 'RoleList',
  plural: 'roles',
  singular: 'role',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: RBAC_VERBS,
  subresources: {},
  description: 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
  schema: RoleSchema,
  strategicMergePatch: true,
  // RBAC names only need to be valid path segments (e.g. "system:controller:x").
  validateName: validatePathSegmentName,
  printerColumns: [
    { name: 'Created At', type: 'string', jsonPath: '.metadata.creationTimestamp' },
  ],
};

export const ClusterRoleResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'ClusterRole',
  listKind: 'ClusterRoleList',
  plural: 'clusterroles',
  singular: 'clusterrole',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: RBAC_VERBS,
  subresources: {},
  description: 'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
  schema: ClusterRoleSchema,
  strategicMergePatch: true,
  validateName: validatePathSegmentName,
  printerColumns: [
    { name: 'Created At', type: 'string', jsonPath: '.metadata.creationTimestamp' },
  ],
};
