// The schemas of one set of resources: each kind and its list, plus the shared meta types,
// keyed by Kubernetes definition name.
import type { ResourceDefinition } from '../../../apis/resource.ts';
import { groupVersion } from '../../../apis/resource.ts';
import { API_VERSION_DESCRIPTION, KIND_DESCRIPTION } from '../../../apis/meta/v1/typemeta.ts';
import { z } from 'zod';
import { LIST_META_DEFINITION, ListMetaSchema, ObjectMetaSchema } from '../../../apis/meta/v1/objectmeta.ts';
import { metaSchemas, type JSONSchema } from './meta-schemas.ts';
import { definitionName, listDefinitionName } from './names.ts';
import { zodToOpenAPISchema } from './schema.ts';

export const V3_REF_PREFIX = '#/components/schemas/';

export function resourceSchemas(defs: ResourceDefinition[], refPrefix = V3_REF_PREFIX): Record<string, JSONSchema> {
  const schemas: Record<string, JSONSchema> = { ...metaSchemas(refPrefix) };
  for (const def of defs) {
    const { schema, definitions } = zodToOpenAPISchema(def.schema, refPrefix);
    Object.assign(schemas, definitions);
    const gvk = { group: def.group, version: def.version, kind: def.kind };
    schemas[definitionName(def)] = {
      ...schema,
      description: (schema.description as string | undefined) ?? def.description,
      'x-kubernetes-group-version-kind': [gvk],
    };
    schemas[listDefinitionName(def)] = listSchema(def, refPrefix);
  }
  Object.assign(schemas, metaTypeSchemas(refPrefix));
  return sortKeys(schemas);
}

/**
 * ObjectMeta and ListMeta as zod converts them. They carry ids, so converting any schema
 * that uses them yields them as definitions; lists and Status reference ListMeta, which no
 * resource schema does, hence this explicit conversion.
 */
function metaTypeSchemas(refPrefix: string): Record<string, JSONSchema> {
  return zodToOpenAPISchema(z.object({ objectMeta: ObjectMetaSchema, listMeta: ListMetaSchema }), refPrefix).definitions;
}

function listSchema(def: ResourceDefinition, refPrefix: string): JSONSchema {
  return {
    description: `${def.listKind} is a list of ${def.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: API_VERSION_DESCRIPTION },
      items: {
        type: 'array',
        description: `List of ${def.plural}.`,
        items: { default: {}, allOf: [{ $ref: `${refPrefix}${definitionName(def)}` }] },
      },
      kind: { type: 'string', description: KIND_DESCRIPTION },
      metadata: { default: {}, description: 'Standard list metadata.', allOf: [{ $ref: `${refPrefix}${LIST_META_DEFINITION}` }] },
    },
    'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind: def.listKind }],
  };
}

export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Resources grouped by group-version, in declaration order. */
export function byGroupVersion(defs: ResourceDefinition[]): Map<string, ResourceDefinition[]> {
  const groups = new Map<string, ResourceDefinition[]>();
  for (const def of defs) {
    const key = groupVersion(def);
    const list = groups.get(key) ?? [];
    list.push(def);
    groups.set(key, list);
  }
  return groups;
}
