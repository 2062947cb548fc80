// core/v1 ConfigMap: non-confidential key/value data.
import { z } from 'zod';
import type { FieldCause, ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';
import { CORE_GROUP, CORE_VERSION, DataKeySchema, STANDARD_VERBS } from './common.ts';
import { immutableDataCauses } from './immutable.ts';

export const ConfigMapSchema = z.object({
  ...typeMetaFields(CORE_VERSION, 'ConfigMap'),
  metadata: objectMetaField(),
  immutable: z.boolean().optional().describe('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).'),
  data: z.record(DataKeySchema, z.string()).optional().describe('Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.'),
  binaryData: z.record(DataKeySchema, z.base64()).optional().describe('BinaryData contains the binary data, base64-encoded. Keys must not overlap with the Data field.'),
}).describe('ConfigMap holds configuration data for pods to consume.');
export type ConfigMap = z.infer<typeof ConfigMapSchema>;

function validateConfigMap(obj: Record<string, unknown>, old?: Record<string, unknown>): FieldCause[] {
  const causes: FieldCause[] = [];
  const data = (obj.data ?? {}) as Record<string, unknown>;
  const binary = (obj.binaryData ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(binary)) {
    if (key in data) causes.push({ reason: 'FieldValueInvalid', field: `data[${key}]`, message: `Invalid value: "${key}": duplicate of key present in binaryData` });
  }
  return [...causes, ...immutableDataCauses(obj, old, ['data', 'binaryData'])];
}

export const ConfigMapResource: ResourceDefinition = {
  group: CORE_GROUP,
  version: CORE_VERSION,
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  categories: [],
  namespaced: true,
  verbs: STANDARD_VERBS,
  subresources: {},
  description: 'ConfigMap holds configuration data for pods to consume.',
  schema: ConfigMapSchema,
  strategicMergePatch: true,
  validate: validateConfigMap,
  printerColumns: [
    { name: 'Data', type: 'integer', jsonPath: '.data', description: 'Number of data entries', value: (o) => Object.keys((o.data ?? {}) as object).length + Object.keys((o.binaryData ?? {}) as object).length },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
