// Kubernetes protobuf request bodies (Content-Type application/vnd.kubernetes.protobuf):
// the magic `k8s\0`, then runtime.Unknown {1 typeMeta{1 apiVersion, 2 kind}, 2 raw,
// 3 contentEncoding, 4 contentType}; `raw` is the typed message, dispatched on kind.
import { ProtobufError } from './errors.ts';
import { decodeMessage } from './message.ts';
import type { MessageSpec } from './message.ts';
import { configMap, namespace, secret, selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview, serviceAccount } from './types.ts';
import { readFields, WIRE_LEN } from './wire.ts';

export const KUBE_PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** Decodable kinds, by `apiVersion/kind` as the envelope names them. */
const DECODERS: ReadonlyMap<string, MessageSpec> = new Map([
  ['v1/Namespace', namespace],
  ['v1/ConfigMap', configMap],
  ['v1/Secret', secret],
  ['v1/ServiceAccount', serviceAccount],
  ['authorization.k8s.io/v1/SelfSubjectAccessReview', selfSubjectAccessReview],
  ['authorization.k8s.io/v1/SelfSubjectRulesReview', selfSubjectRulesReview],
  ['authentication.k8s.io/v1/SelfSubjectReview', selfSubjectReview],
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
    const spec = DECODERS.get(`${env.apiVersion}/${env.kind}`);
    if (spec === undefined) {
      throw new ProtobufError('Unsupported', `protobuf decoding of ${env.apiVersion}, Kind=${env.kind} is not supported; send JSON`);
    }
    const body = decodeMessage(env.raw, spec);
    return { apiVersion: env.apiVersion, kind: env.kind, object: { apiVersion: env.apiVersion, kind: env.kind, ...body } };
  } catch (err) {
    if (err instanceof ProtobufError) throw err;
    // Defensive: anything unforeseen on hostile input still surfaces as the typed error.
    throw new ProtobufError('BadRequest', `invalid protobuf: ${err instanceof Error ? err.message : String(err)}`);
  }
}
