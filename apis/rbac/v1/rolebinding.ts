// rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding (roleRef immutable).
import { z } from 'zod';
import type { ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';
import { validatePathSegmentName } from '../../meta/v1/validation.ts';
import { GROUP, RBAC_VERBS, RoleRefSchema, SubjectSchema, VERSION, validateBinding } from './types.ts';

const ROLE_REF_DESCRIPTION = 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. This field is immutable.';

export const RoleBindingSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, 'RoleBinding'),
  metadata: objectMetaField(),
  subjects: z.array(SubjectSchema).optional().describe('Subjects holds references to the objects the role applies to.'),
  roleRef: RoleRefSchema.describe(ROLE_REF_DESCRIPTION),
}).describe('RoleBinding references a role, but does not contain it. It can reference a Role in the same namespace or a ClusterRole in the global namespace.');
export type RoleBinding = z.infer<typeof RoleBindingSchema>;

export const ClusterRoleBindingSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, 'ClusterRoleBinding'),
  metadata: objectMetaField(),
  subjects: z.array(SubjectSchema).optional().describe('Subjects holds references to the objects the role applies to.'),
  roleRef: RoleRefSchema.describe('RoleRef can only reference a ClusterRole in the global namespace. This field is immutable.'),
}).describe('ClusterRoleBinding references a ClusterRole, but not contain it. It can reference a ClusterRole in the global namespace, and adds who information via Subject.');
export type ClusterRoleBinding = z.infer<typeof ClusterRoleBindingSchema>;

export const RoleBindingResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'RoleBinding',
  listKind: 'RoleBindingList',
  plural: 'rolebindings',
  singular: 'rolebinding',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: RBAC_VERBS,
  subresources: {},
  description: 'RoleBinding references a role, but does not contain it.',
  schema: RoleBindingSchema,
  strategicMergePatch: true,
  validate: validateBinding,
  validateName: validatePathSegmentName,
  printerColumns: [
    { name: 'Role', type: 'string', jsonPath: '.roleRef.name', value: (o) => {
      const ref = (o.roleRef ?? {}) as { kind?: string; name?: string };
      return `${ref.kind ?? ''}/${ref.name ?? ''}`;
    } },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};

export const ClusterRoleBindingResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'ClusterRoleBinding',
  listKind: 'ClusterRoleBindingList',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: RBAC_VERBS,
  subresources: {},
  description: 'ClusterRoleBinding references a ClusterRole, but not contain it.',
  schema: ClusterRoleBindingSchema,
  strategicMergePatch: true,
  validate: validateBinding,
  validateName: validatePathSegmentName,
  printerColumns: [
    { name: 'Role', type: 'string', jsonPath: '.roleRef.name', value: (o) => {
      const ref = (o.roleRef ?? {}) as { kind?: string; name?: string };
      return `${ref.kind ?? ''}/${ref.name ?? ''}`;
    } },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
