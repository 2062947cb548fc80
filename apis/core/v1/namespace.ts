// core/v1 Namespace (cluster-scoped; its name must be a DNS-1123 label).
import { z } from 'zod';
import type { ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { TimeSchema } from '../../meta/v1/time.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';
import { validateDNS1123LabelName } from '../../meta/v1/validation.ts';
import { CORE_GROUP, CORE_VERSION, selectField } from './common.ts';

export const NamespaceConditionSchema = z.object({
  type: z.string().describe('Type of namespace controller condition.'),
  status: z.string().describe('Status of the condition, one of True, False, Unknown.'),
  lastTransitionTime: TimeSchema.optional().describe('Last time the condition transitioned from one status to another.'),
  reason: z.string().optional().describe('Unique, one-word, CamelCase reason for the condition\'s last transition.'),
  message: z.string().optional().describe('Human-readable message indicating details about last transition.'),
}).describe('NamespaceCondition contains details about state of namespace.');

export const NamespaceSchema = z.object({
  ...typeMetaFields(CORE_VERSION, 'Namespace'),
  metadata: objectMetaField(),
  spec: z.object({
    finalizers: z.array(z.string()).optional().describe('Finalizers is an opaque list of values that must be empty to permanently remove object from storage.'),
  }).optional().describe('Spec defines the behavior of the Namespace.'),
  status: z.object({
    phase: z.enum(['Active', 'Terminating']).optional().describe('Phase is the current lifecycle phase of the namespace.'),
    conditions: z.array(NamespaceConditionSchema).optional().describe('Represents the latest available observations of a namespace\'s current state.'),
  }).optional().describe('Status describes the current status of a Namespace.'),
}).describe('Namespace provides a scope for Names. Use of multiple namespaces is optional.');
export type Namespace = z.infer<typeof NamespaceSchema>;

export const NamespaceResource: ResourceDefinition = {
  group: CORE_GROUP,
  version: CORE_VERSION,
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  categories: [],
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: { status: true },
  description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  schema: NamespaceSchema,
  strategicMergePatch: true,
  validateName: validateDNS1123LabelName,
  // pkg/registry/core/namespace/strategy.go: metadata.name, status.phase, and the legacy
  // bare `name` kube still accepts for namespaces.
  selectableFields: { 'status.phase': selectField('status', 'phase'), name: selectField('metadata', 'name') },
  printerColumns: [
    { name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'The status of the namespace' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
