// Kubernetes protobuf request bodies (Content-Type application/vnd.kubernetes.protobuf):
// the magic `k8s\0`, then runtime.Unknown {1 typeMeta{1 apiVersion, 2 kind}, 2 raw,
// 3 contentEncoding, 4 contentType}; `raw` is the typed message, dispatched on kind.
import { ProtobufError } from './errors.ts';
import { decodeMessage } from './message.ts';
import type { DecodeOptions, MessageSpec } from './message.ts';
import { configMap, namespace, secret, selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview, serviceAccount } from './types.ts';
import { deployment } from './types-apps.ts';
import { clusterRole, role, roleBinding } from './types-rbac.ts';
import { tokenRequest } from './types-token.ts';
import { readFields, WIRE_LEN } from './wire.ts';

export const KUBE_PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

interface KindDecoder {
  spec: MessageSpec;
  options?: DecodeOptions;
}

/**
 * Decodable kinds, by `apiVersion/kind` as the envelope names them. Kinds modelled in full
 * skip unknown fields as protobuf does; Deployment is modelled in part and decodes strictly.
 */
const DECODERS: ReadonlyMap<string, KindDecoder> = new Map([
  ['v1/Namespace', { spec: namespace }],
  ['v1/ConfigMap', { spec: configMap }],
  ['v1/Secret', { spec: secret }],
  ['v1/ServiceAccount', { spec: serviceAccount }],
  ['authorization.k8s.io/v1/SelfSubjectAccessReview', { spec: selfSubjectAccessReview }],
  ['authorization.k8s.io/v1/SelfSubjectRulesReview', { spec: selfSubjectRulesReview }],
  ['authentication.k8s.io/v1/SelfSubjectReview', { spec: selfSubjectReview }],
  ['authentication.k8s.io/v1/TokenRequest', { spec: tokenRequest }],
  ['rbac.authorization.k8s.io/v1/Role', { spec: role }],
  ['rbac.authorization.k8s.io/v1/ClusterRole', { spec: clusterRole }],
  ['rbac.authorization.k8s.io/v1/RoleBinding', { spec: roleBinding }],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', { spec: roleBinding }],
  ['apps/v1/Deployment', { spec: deployment, options: { strict: true } }],
]);

export function supportedProtobufKinds(): string[] {
  return [...DECODERS.keys()];
}

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  /** The JSON form, with apiVersion and kind set. */
  object: Record<string, unknown>;
}

export interface KubeEnvelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

export function isKubeProtobuf(buf: Uint8Array): boolean {
  return buf.length >= 4 && MAGIC.every((b, i) => buf[i] === b);
}

export function decodeKubeEnvelope(buf: Uint8Array): KubeEnvelope {
  if (!(buf instanceof Uint8Array)) throw new ProtobufError('BadRequest', 'invalid protobuf: body is not bytes');
  if (!isKubeProtobuf(buf)) throw new ProtobufError('BadRequest', 'invalid protobuf: missing the k8s\\0 prefix');
  const env: KubeEnvelope = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '', contentType: '' };
  const text = new TextDecoder('utf-8');
  for (const f of readFields(buf.subarray(4))) {
    if (f.field < 1 || f.field > 4) continue;
    if (f.wire !== WIRE_LEN) throw new ProtobufError('BadRequest', `invalid protobuf: runtime.Unknown field ${f.field} has wire type ${f.wire}`);
    const bytes = f.bytes ?? new Uint8Array();
    if (f.field === 1) {
      for (const t of readFields(bytes)) {
        if (t.field !== 1 && t.field !== 2) continue;
        if (t.wire !== WIRE_LEN) throw new ProtobufError('BadRequest', 'invalid protobuf: typeMeta fields must be strings');
        if (t.field === 1) env.apiVersion = text.decode(t.bytes);
        else env.kind = text.decode(t.bytes);
      }
    } else if (f.field === 2) env.raw = bytes;
    else if (f.field === 3) env.contentEncoding = text.decode(bytes);
    else env.contentType = text.decode(bytes);
  }
  return env;
}

/** Decodes a whole request body. Throws ProtobufError only. */
export function decodeKubeProtobuf(buf: Uint8Array): DecodedObject {
  try {
    const env = decodeKubeEnvelope(buf);
    if (env.contentEncoding !== '') {
      throw new ProtobufError('Unsupported', `unsupported protobuf content encoding "${env.contentEncoding}"`);
    }
    if (env.kind === '') throw new ProtobufError('BadRequest', "Object 'Kind' is missing in protobuf body");
    const decoder = DECODERS.get(`${env.apiVersion}/${env.kind}`);
    if (decoder === undefined) {
      throw new ProtobufError('Unsupported', `protobuf decoding of ${env.apiVersion}, Kind=${env.kind} is not supported; send JSON`);
    }
    const body = decodeMessage(env.raw, decoder.spec, decoder.options);
    return { apiVersion: env.apiVersion, kind: env.kind, object: { apiVersion: env.apiVersion, kind: env.kind, ...body } };
  } catch (err) {
    if (err instanceof ProtobufError) throw err;
    // Defensive: anything unforeseen on hostile input still surfaces as the typed error.
    throw new ProtobufError('BadRequest', `invalid protobuf: ${err instanceof Error ? err.message : String(err)}`);
  }
}
