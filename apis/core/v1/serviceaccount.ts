// core/v1 ServiceAccount: an identity for processes (kplane's syncers authenticate as one).
import { z } from 'zod';
import type { ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';
import { CORE_GROUP, CORE_VERSION, ObjectReferenceSchema, STANDARD_VERBS } from './common.ts';

export const ServiceAccountSchema = z.object({
  ...typeMetaFields(CORE_VERSION, 'ServiceAccount'),
  metadata: objectMetaField(),
  secrets: z.array(ObjectReferenceSchema).optional().describe('Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'),
  imagePullSecrets: z.array(z.object({ name: z.string().optional().describe('Name of the referent.') })).optional().describe('ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.'),
  automountServiceAccountToken: z.boolean().optional().describe('AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.'),
}).describe('ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets');
export type ServiceAccount = z.infer<typeof ServiceAccountSchema>;

export const ServiceAccountResource: ResourceDefinition = {
  group: CORE_GROUP,
  version: CORE_VERSION,
  kind: 'ServiceAccount',
  listKind: 'ServiceAccountList',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  categories: [],
  namespaced: true,
  verbs: STANDARD_VERBS,
  subresources: {},
  description: 'ServiceAccount binds together a name, a principal that can be authenticated and authorized, and a set of secrets.',
  schema: ServiceAccountSchema,
  strategicMergePatch: true,
  printerColumns: [
    { name: 'Secrets', type: 'integer', jsonPath: '.secrets', value: (o) => (Array.isArray(o.secrets) ? o.secrets.length : 0) },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
