// OpenAPI v2 in the protobuf form kubectl asks for (`Accept:
// application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): gnostic's openapi_v2.Document
// message, encoded from kplane's own Swagger 2.0 JSON. kubectl reads v2 to validate `kind:
// List` files (each item against its definition) and as the second source of patch metadata
// in client-side apply; without it `kubectl apply -f list.yaml` refuses the file.
//
// Only the subset of the Document kplane produces is written, with gnostic's field numbers:
// Document{swagger 1, info 2, paths 8, definitions 9, security 12, securityDefinitions 13},
// PathItem operations and parameters, and Schema{$ref 1, format 2, title 3, description 4,
// default 5, required 19, enum 20, additionalProperties 21, type 22, items 23,
// properties 25, vendor extensions 31}. Numeric bounds (doubles) are left out: kubectl's
// validator checks types, required fields and unknown fields, never bounds.
//
// The schemas are also shaped for kube-openapi's parser (pkg/util/proto), which is stricter
// than Swagger: a wrapped `allOf: [{$ref}]` becomes a plain reference; a node with
// x-kubernetes-preserve-unknown-fields loses its type and properties (an arbitrary value, as
// kube publishes such CRD fields in v2) so kubectl does not reject fields kplane keeps;
// `anyOf` and multi-typed nodes become arbitrary values.
import { encodeMessage, pb, type PbField } from '../protobuf/encode.ts';
import type { JSONSchema } from './meta-schemas.ts';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (field: number, v: unknown): PbField[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string').map((s) => pb.str(field, s)) : []);

/** gnostic Any: the value as YAML text (JSON is YAML, and both kube parsers read it). */
function any(field: number, value: unknown): PbField {
  return pb.msg(field, pb.str(2, JSON.stringify(value)));
}

/** Vendor extensions (`x-…` keys) as repeated NamedAny{name 1, value 2}. */
function extensions(field: number, node: Json): PbField[] {
  return Object.keys(node)
    .filter((k) => k.startsWith('x-'))
    .map((k) => pb.msg(field, pb.str(1, k), any(2, node[k])));
}

export function schemaFields(node: Json): PbField[] {
  const out: PbField[] = [];
  const ref = typeof node.$ref === 'string' ? node.$ref : refOfAllOf(node);
  if (ref !== undefined) {
    out.push(pb.str(1, ref));
    if (typeof node.description === 'string') out.push(pb.str(4, node.description));
    return out;
  }
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (typeof node.format === 'string') out.push(pb.str(2, node.format));
  if (typeof node.title === 'string') out.push(pb.str(3, node.title));
  if (typeof node.description === 'string') out.push(pb.str(4, node.description));
  if (node.default !== undefined) out.push(any(5, node.default));
  if (!preserve) out.push(...strings(19, node.required));
  if (Array.isArray(node.enum)) for (const e of node.enum) out.push(any(20, e));
  const type = typeof node.type === 'string' ? node.type : undefined;
  if (!preserve && type !== undefined) {
    const ap = node.additionalProperties;
    if (typeof ap === 'boolean') out.push(pb.msg(21, pb.int(2, ap)));
    else if (isRecord(ap)) out.push(pb.msg(21, pb.msg(1, ...schemaFields(ap))));
    out.push(pb.msg(22, pb.str(1, type)));
    if (isRecord(node.items)) out.push(pb.msg(23, pb.msg(1, ...schemaFields(node.items))));
    const props = isRecord(node.properties) ? Object.entries(node.properties).filter(([, v]) => isRecord(v)) : [];
    // An empty properties map would make kubectl treat the object as closed (no fields at all).
    if (props.length > 0) out.push(pb.msg(25, ...props.map(([name, v]) => pb.msg(1, pb.str(1, name), pb.msg(2, ...schemaFields(v as Json))))));
  }
  out.push(...extensions(31, node));
  return out;
}

function refOfAllOf(node: Json): string | undefined {
  if (!Array.isArray(node.allOf) || node.allOf.length !== 1) return undefined;
  const only: unknown = node.allOf[0];
  return isRecord(only) && typeof only.$ref === 'string' ? only.$ref : undefined;
}

/** ParametersItem{parameter 1: Parameter{body 1 | non-body 2}}. */
function parameter(p: Json): PbField[] {
  const common = [pb.str(3, str(p.description)), pb.str(4, str(p.name))];
  if (p.in === 'body') {
    const body: PbField[] = [pb.str(1, str(p.description)), pb.str(2, str(p.name)), pb.str(3, 'body'), pb.int(4, p.required === true)];
    if (isRecord(p.schema)) body.push(pb.msg(5, ...schemaFields(p.schema)));
    return [pb.msg(1, pb.msg(1, ...body))];
  }
  // NonBodyParameter: query 3 (type 6, uniqueItems 20), path 4 (type 5, uniqueItems 19).
  const isPath = p.in === 'path';
  const sub: PbField[] = [pb.int(1, p.required === true), pb.str(2, str(p.in)), ...common, pb.str(isPath ? 5 : 6, str(p.type))];
  if (p.uniqueItems === true) sub.push(pb.int(isPath ? 19 : 20, true));
  return [pb.msg(1, pb.msg(2, pb.msg(isPath ? 4 : 3, ...sub)))];
}

const OPERATION_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function operation(op: Json): PbField[] {
  const out: PbField[] = [...strings(1, op.tags)];
  if (typeof op.description === 'string') out.push(pb.str(3, op.description));
  if (typeof op.operationId === 'string') out.push(pb.str(5, op.operationId));
  out.push(...strings(6, op.produces), ...strings(7, op.consumes));
  for (const p of Array.isArray(op.parameters) ? op.parameters : []) if (isRecord(p)) out.push(pb.msg(8, ...parameter(p)));
  if (isRecord(op.responses)) {
    const codes = Object.entries(op.responses).filter(([, r]) => isRecord(r));
    out.push(pb.msg(9, ...codes.map(([code, r]) => {
      const resp = r as Json;
      const fields: PbField[] = [pb.str(1, str(resp.description))];
      if (isRecord(resp.schema)) fields.push(pb.msg(2, pb.msg(1, ...schemaFields(resp.schema))));
      return pb.msg(1, pb.str(1, code), pb.msg(2, pb.msg(1, ...fields)));
    })));
  }
  out.push(...strings(10, op.schemes), ...extensions(13, op));
  return out;
}

function pathItem(item: Json): PbField[] {
  const out: PbField[] = [];
  for (const [method, field] of Object.entries(OPERATION_FIELDS)) if (isRecord(item[method])) out.push(pb.msg(field, ...operation(item[method] as Json)));
  for (const p of Array.isArray(item.parameters) ? item.parameters : []) if (isRecord(p)) out.push(pb.msg(9, ...parameter(p)));
  return out;
}

/** The gnostic openapi_v2.Document encoding of a Swagger 2.0 document. */
export function encodeV2Document(doc: JSONSchema): Uint8Array {
  const d = doc as Json;
  const fields: PbField[] = [pb.str(1, str(d.swagger))];
  if (isRecord(d.info)) fields.push(pb.msg(2, pb.str(1, str(d.info.title)), pb.str(2, str(d.info.version))));
  fields.push(...strings(5, d.schemes), ...strings(6, d.consumes), ...strings(7, d.produces));
  if (isRecord(d.paths)) {
    fields.push(pb.msg(8, ...Object.entries(d.paths).filter(([, v]) => isRecord(v)).map(([path, v]) => pb.msg(2, pb.str(1, path), pb.msg(2, ...pathItem(v as Json))))));
  }
  if (isRecord(d.definitions)) {
    fields.push(pb.msg(9, ...Object.entries(d.definitions).filter(([, v]) => isRecord(v)).map(([name, v]) => pb.msg(1, pb.str(1, name), pb.msg(2, ...schemaFields(v as Json))))));
  }
  for (const req of Array.isArray(d.security) ? d.security : []) {
    if (!isRecord(req)) continue;
    // SecurityRequirement{additional_properties 1: NamedStringArray{name 1, StringArray{value 1}}}.
    fields.push(pb.msg(12, ...Object.entries(req).map(([name, scopes]) => pb.msg(1, pb.str(1, name), pb.msg(2, ...strings(1, scopes))))));
  }
  if (isRecord(d.securityDefinitions)) {
    // Only apiKey schemes exist here: SecurityDefinitionsItem{api_key_security 2}.
    fields.push(pb.msg(13, ...Object.entries(d.securityDefinitions).filter(([, v]) => isRecord(v)).map(([name, v]) => {
      const s = v as Json;
      return pb.msg(1, pb.str(1, name), pb.msg(2, pb.msg(2, pb.str(1, str(s.type)), pb.str(2, str(s.name)), pb.str(3, str(s.in)), pb.str(4, str(s.description)))));
    })));
  }
  return encodeMessage(fields);
}
