// core/v1 Secret. `stringData` is write-only: it is folded into `data` (base64) on admission,
// as the real API server does, and never stored.
import { z } from 'zod';
import type { FieldCause, ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';
import { CORE_GROUP, CORE_VERSION, DataKeySchema, selectField, STANDARD_VERBS } from './common.ts';
import { immutableDataCauses } from './immutable.ts';

export const SECRET_TYPE_OPAQUE = 'Opaque';
export const SECRET_TYPE_SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';

const SecretInputSchema = z.object({
  ...typeMetaFields(CORE_VERSION, 'Secret'),
  metadata: objectMetaField(),
  immutable: z.boolean().optional().describe('Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).'),
  data: z.record(DataKeySchema, z.base64()).optional().describe('Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string.'),
  stringData: z.record(DataKeySchema, z.string()).optional().describe('stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.'),
  type: z.string().default(SECRET_TYPE_OPAQUE).describe('Used to facilitate programmatic handling of secret data. Defaults to "Opaque".'),
}).describe('Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.');

export const SecretSchema = SecretInputSchema.transform(({ stringData, ...secret }) => {
  if (!stringData || Object.keys(stringData).length === 0) return secret;
  const data = { ...secret.data };
  for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
  return { ...secret, data };
});
export type Secret = z.infer<typeof SecretSchema>;

/** Decoded value of one data key, or undefined. */
export function secretValue(secret: Pick<Secret, 'data'>, key: string): string | undefined {
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

function validateSecret(obj: Record<string, unknown>, old?: Record<string, unknown>): FieldCause[] {
  const causes: FieldCause[] = [];
  if (old && old.type !== obj.type) {
    causes.push({ reason: 'FieldValueInvalid', field: 'type', message: `Invalid value: ${JSON.stringify(obj.type)}: field is immutable` });
  }
  return [...causes, ...immutableDataCauses(obj, old, ['data'])];
}

export const SecretResource: ResourceDefinition = {
  group: CORE_GROUP,
  version: CORE_VERSION,
  kind: 'Secret',
  listKind: 'SecretList',
  plural: 'secrets',
  singular: 'secret',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: STANDARD_VERBS,
  subresources: {},
  description: 'Secret holds secret data of a certain type.',
  schema: SecretSchema,
  strategicMergePatch: true,
  validate: validateSecret,
  // pkg/registry/core/secret/strategy.go SelectableFields: metadata.* plus type.
  selectableFields: { type: selectField('type') },
  printerColumns: [
    { name: 'Type', type: 'string', jsonPath: '.type' },
    { name: 'Data', type: 'integer', jsonPath: '.data', description: 'Number of data entries', value: (o) => Object.keys((o.data ?? {}) as object).length },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
