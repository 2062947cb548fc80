// Turning a write request's body into an object of the right kind, or a clear 4xx.
import { groupVersion } from '../../../apis/resource.ts';
import { newBadRequest, StatusError } from '../../apierrors/errors.ts';
import { mediaType, parseJSON, parseYAML, readBody, requireObject } from '../httpx/body.ts';
import { asKObject, isPlainObject, type KObject } from '../registry/object.ts';
import { decodeKubeProtobuf } from '../protobuf/index.ts';
import type { HandlerContext } from './context.ts';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Decode a create/update body (JSON, YAML or kube protobuf) into a plain object. */
export async function decodeObjectBody(ctx: HandlerContext): Promise<KObject> {
  const type = mediaType(ctx.req.headers['content-type']);
  const body = await readBody(ctx.req);
  let value: unknown;
  switch (type) {
    case '':
    case 'application/json':
      value = parseJSON(body.toString('utf8'));
      break;
    case 'application/yaml':
    case 'application/x-yaml':
      value = parseYAML(body.toString('utf8'));
      break;
    case PROTOBUF:
      value = decodeProtobufBody(body);
      break;
    default:
      throw unsupportedMediaType(type, ['application/json', 'application/yaml', PROTOBUF]);
  }
  const obj = requireObject(value);
  if (obj.metadata !== undefined && !isPlainObject(obj.metadata)) throw newBadRequest('metadata must be an object');
  return asKObject(obj);
}

function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  try {
    const { apiVersion, kind, object } = decodeKubeProtobuf(body);
    return { ...object, apiVersion, kind };
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw new StatusError('UnsupportedMediaType', `the protobuf body could not be decoded: ${(err as Error).message}`);
  }
}

export function unsupportedMediaType(type: string, accepted: string[]): StatusError {
  return new StatusError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    undefined,
  );
}

/**
 * The body must name this endpoint's kind and apiVersion (kube rejects mismatches with 400).
 * For built-in types a missing apiVersion or kind is taken from the URL, as kube-apiserver's
 * decoder defaults them (the Python client's typed models send neither unless set); custom
 * resources (SyncTarget, Workspace) must name both, as CRDs must in kube.
 */
export function checkKind(ctx: HandlerContext, obj: KObject): void {
  const want = groupVersion(ctx.def);
  // Built-in types are exactly the ones that take strategic merge patches.
  const builtIn = ctx.def.strategicMergePatch === true;
  if (builtIn && (obj.apiVersion === undefined || obj.apiVersion === '')) obj.apiVersion = want;
  if (builtIn && (obj.kind === undefined || obj.kind === '')) obj.kind = ctx.def.kind;
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  if (apiVersion === undefined || apiVersion === '') throw newBadRequest(`Object 'apiVersion' is missing in the request body`);
  if (kind === undefined || kind === '') throw newBadRequest(`Object 'Kind' is missing in the request body`);
  if (apiVersion !== want) {
    throw newBadRequest(`the API version in the data (${String(apiVersion)}) does not match the expected API version (${want})`);
  }
  if (kind !== ctx.def.kind) {
    throw newBadRequest(`the kind in the data (${String(kind)}) does not match the expected kind (${ctx.def.kind})`);
  }
}

/**
 * The namespace in the body, when given, must match the URL's (kube answers 400); when
 * absent it is taken from the URL, as kube's BeforeCreate/BeforeUpdate do. kubectl's typed
 * generators (`create configmap`, `create secret`) send bodies without a namespace.
 */
export function checkNamespace(ctx: HandlerContext, obj: KObject): void {
  const ns = obj.metadata.namespace;
  if (!ctx.def.namespaced) return;
  if (ns !== undefined && ns !== '' && ns !== ctx.info.namespace) {
    throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = ctx.info.namespace;
}

export function checkName(ctx: HandlerContext, obj: KObject): void {
  const name = obj.metadata.name;
  if (name !== undefined && name !== ctx.info.name) {
    throw newBadRequest(`the name of the object (${String(name)}) does not match the name on the URL (${ctx.info.name})`);
  }
}
