// Builds the OpenAPI documents: v3 per group-version (what kubectl uses for validation
// discovery, explain and patch-type selection), the v3 root that indexes them by hash, and
// a Swagger 2.0 document for clients that read JSON v2.
import type { ResourceDefinition } from '../../../apis/resource.ts';
import { byGroupVersion, resourceSchemas, sortKeys, V3_REF_PREFIX } from './components.ts';
import type { JSONSchema } from './meta-schemas.ts';
import { groupVersionPathKey } from './names.ts';
import type { ParameterSpec } from './parameters.ts';
import { resourcePaths, type OperationSpec, type PathSpec } from './paths.ts';
import { rewriteRefs, stripNullable } from './schema.ts';

const V2_REF_PREFIX = '#/definitions/';
const RESPONSE_TYPES = ['application/json', 'application/yaml'];
const INFO = { title: 'kplane', version: 'v1.32.0' };

const RESPONSE_DESCRIPTIONS: Record<string, string> = {
  '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized',
};

/** The v3 document of one group-version (e.g. `apis/workload.kcp.io/v1alpha1`). */
export function buildV3GroupVersionDocument(defs: ResourceDefinition[]): JSONSchema {
  const paths: Record<string, unknown> = {};
  for (const def of defs) {
    for (const spec of resourcePaths(def)) paths[spec.path] = v3PathItem(spec, tagOf(def));
  }
  return {
    openapi: '3.0.0',
    info: INFO,
    paths,
    components: {
      schemas: resourceSchemas(defs, V3_REF_PREFIX),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

function tagOf(def: ResourceDefinition): string {
  const group = def.group === '' ? 'core' : def.group.replace(/\.k8s\.io$/, '').replace(/\./g, '');
  return `${group}_${def.version}`;
}

function v3PathItem(spec: PathSpec, tag: string): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const op of spec.operations) item[op.method] = v3Operation(op, tag);
  item.parameters = spec.parameters.map(v3Parameter);
  return item;
}

function v3Parameter(p: ParameterSpec): Record<string, unknown> {
  return { name: p.name, in: p.in, description: p.description, ...(p.required ? { required: true } : {}), schema: { type: p.type, uniqueItems: true } };
}

function v3Operation(op: OperationSpec, tag: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    tags: [tag],
    description: op.description,
    operationId: op.operationId,
    parameters: op.parameters.map(v3Parameter),
  };
  if (op.body) {
    const schema = { $ref: `${V3_REF_PREFIX}${op.body.definition}` };
    const types = op.body.patchContentTypes ?? ['*/*'];
    out.requestBody = { content: Object.fromEntries(types.map((t) => [t, { schema }])), required: true };
  }
  out.responses = Object.fromEntries(op.responses.map(([code, definition]) => [code, code === '401'
    ? { description: RESPONSE_DESCRIPTIONS[code] }
    : {
        description: RESPONSE_DESCRIPTIONS[code] ?? 'OK',
        content: Object.fromEntries(RESPONSE_TYPES.map((t) => [t, { schema: { $ref: `${V3_REF_PREFIX}${definition}` } }])),
      }]));
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = op.gvk;
  return out;
}

/** The v3 root: one entry per group-version with its hashed, server-relative URL. */
export function buildV3Root(hashes: Map<string, string>): JSONSchema {
  const paths: Record<string, unknown> = {};
  for (const [key, hash] of hashes) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  return { paths: sortKeys(paths) };
}

/** A Swagger 2.0 document of every resource (best effort: kubectl itself only asks for protobuf v2). */
export function buildV2Document(defs: ResourceDefinition[]): JSONSchema {
  const paths: Record<string, unknown> = {};
  for (const def of defs) {
    for (const spec of resourcePaths(def)) paths[spec.path] = v2PathItem(spec, tagOf(def));
  }
  const definitions = stripNullable(rewriteRefs(resourceSchemas(defs, V3_REF_PREFIX), V3_REF_PREFIX, V2_REF_PREFIX)) as JSONSchema;
  return {
    swagger: '2.0',
    info: INFO,
    paths: sortKeys(paths),
    definitions,
    securityDefinitions: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}

function v2PathItem(spec: PathSpec, tag: string): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const op of spec.operations) item[op.method] = v2Operation(op, tag);
  item.parameters = spec.parameters.map(v2Parameter);
  return item;
}

function v2Parameter(p: ParameterSpec): Record<string, unknown> {
  return { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in, ...(p.required ? { required: true } : {}) };
}

function v2Operation(op: OperationSpec, tag: string): Record<string, unknown> {
  const parameters = op.parameters.map(v2Parameter);
  if (op.body) parameters.unshift({ name: 'body', in: 'body', required: true, schema: { $ref: `${V2_REF_PREFIX}${op.body.definition}` } });
  return {
    description: op.description,
    consumes: op.body?.patchContentTypes ?? ['*/*'],
    produces: RESPONSE_TYPES,
    schemes: ['https'],
    tags: [tag],
    operationId: op.operationId,
    parameters,
    responses: Object.fromEntries(op.responses.map(([code, definition]) => [code, code === '401'
      ? { description: RESPONSE_DESCRIPTIONS[code] }
      : { description: RESPONSE_DESCRIPTIONS[code] ?? 'OK', schema: { $ref: `${V2_REF_PREFIX}${definition}` } }])),
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
}

export function groupVersionDocuments(defs: ResourceDefinition[]): Map<string, JSONSchema> {
  const docs = new Map<string, JSONSchema>();
  for (const group of byGroupVersion(defs).values()) {
    const first = group[0];
    if (first) docs.set(groupVersionPathKey(first), buildV3GroupVersionDocument(group));
  }
  return docs;
}
