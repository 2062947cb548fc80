// zod → OpenAPI schema objects in Kubernetes' dialect. zod's openapi-3.0 output is close;
// we fix the differences kubectl and explain care about: refs point into components (or
// v2 definitions), a $ref never has siblings (wrapped in allOf), byte/date-time formats
// without regex noise, loose objects marked x-kubernetes-preserve-unknown-fields, and
// apiVersion/kind described as plain strings.
import { z } from 'zod';
import { API_VERSION_DESCRIPTION, KIND_DESCRIPTION } from '../../../apis/meta/v1/typemeta.ts';
import type { JSONSchema } from './meta-schemas.ts';

export interface ConvertedSchema {
  schema: JSONSchema;
  /** Schemas zod extracted because they carry an id (ObjectMeta, ListMeta), by definition name. */
  definitions: Record<string, JSONSchema>;
}

const ZOD_DEFINITIONS_PREFIX = '#/definitions/';

export function zodToOpenAPISchema(schema: z.ZodType, refPrefix: string): ConvertedSchema {
  const raw = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as JSONSchema;
  const { definitions: rawDefs, $schema: _ignored, ...main } = raw;
  const definitions: Record<string, JSONSchema> = {};
  for (const [name, def] of Object.entries((rawDefs ?? {}) as Record<string, JSONSchema>)) {
    definitions[name] = fixNode(def, refPrefix) as JSONSchema;
  }
  const fixed = fixNode(main, refPrefix) as JSONSchema;
  describeTypeMeta(fixed);
  return { schema: fixed, definitions };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fixNode(node: unknown, refPrefix: string): unknown {
  if (Array.isArray(node)) return node.map((n) => fixNode(n, refPrefix));
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.startsWith(ZOD_DEFINITIONS_PREFIX) ? refPrefix + value.slice(ZOD_DEFINITIONS_PREFIX.length) : value;
    } else if (key === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fixNode(v, refPrefix)]));
    } else {
      out[key] = fixNode(value, refPrefix);
    }
  }
  return normalize(out);
}

function normalize(node: Record<string, unknown>): Record<string, unknown> {
  if (node.$ref !== undefined && Object.keys(node).length > 1) {
    // OpenAPI 3.0 ignores siblings of $ref; Kubernetes wraps the reference in allOf.
    const { $ref, ...rest } = node;
    return { ...rest, allOf: [{ $ref }] };
  }
  if (node.format === 'base64') {
    node.format = 'byte';
    delete node.contentEncoding;
    delete node.pattern;
  }
  if (node.format === 'date-time') delete node.pattern;
  if (node.type === 'integer') {
    if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
    if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
  }
  if (node.additionalProperties === false) delete node.additionalProperties;
  if (isRecord(node.additionalProperties) && Object.keys(node.additionalProperties).length === 0) {
    delete node.additionalProperties;
    node['x-kubernetes-preserve-unknown-fields'] = true;
  }
  return node;
}

function describeTypeMeta(schema: JSONSchema): void {
  const props = schema.properties;
  if (!isRecord(props)) return;
  if (props.apiVersion !== undefined) props.apiVersion = { type: 'string', description: API_VERSION_DESCRIPTION };
  if (props.kind !== undefined) props.kind = { type: 'string', description: KIND_DESCRIPTION };
}

/** Rewrites every `$ref` from one prefix to another (v3 components → v2 definitions). */
export function rewriteRefs(node: unknown, from: string, to: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, from, to));
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith(from) ? to + v.slice(from.length) : rewriteRefs(v, from, to);
  }
  return out;
}

/** Swagger 2.0 has no `nullable`; drop it everywhere. */
export function stripNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripNullable);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'nullable') out[k] = stripNullable(v);
  return out;
}
