// A tiny protobuf writer: enough to build Kubernetes protobuf bodies in tests and the
// OpenAPI v2 protobuf document (openapi/v2proto.ts). Values are written in the order given.

export type PbValue =
  | { t: 'varint'; v: bigint | number | boolean }
  | { t: 'bytes'; v: Uint8Array | string }
  | { t: 'msg'; v: PbField[] }
  | { t: 'fixed32' }
  | { t: 'fixed64' };

export type PbField = [field: number, value: PbValue];

export function varintBytes(value: bigint | number | boolean): number[] {
  let v = BigInt.asUintN(64, BigInt(typeof value === 'boolean' ? (value ? 1 : 0) : value));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

export function encodeMessage(fields: PbField[]): Uint8Array {
  const out: number[] = [];
  for (const [field, value] of fields) {
    switch (value.t) {
      case 'varint':
        out.push(...varintBytes(field << 3), ...varintBytes(value.v));
        break;
      case 'fixed32':
        out.push(...varintBytes((field << 3) | 5), 0, 0, 0, 0);
        break;
      case 'fixed64':
        out.push(...varintBytes((field << 3) | 1), 0, 0, 0, 0, 0, 0, 0, 0);
        break;
      default: {
        const payload =
          value.t === 'msg' ? encodeMessage(value.v) : typeof value.v === 'string' ? new TextEncoder().encode(value.v) : value.v;
        out.push(...varintBytes((field << 3) | 2), ...varintBytes(payload.length));
        for (const b of payload) out.push(b);
      }
    }
  }
  return Uint8Array.from(out);
}

/** Shorthands for building messages. */
export const pb = {
  str: (field: number, v: string): PbField => [field, { t: 'bytes', v }],
  bytes: (field: number, v: Uint8Array): PbField => [field, { t: 'bytes', v }],
  int: (field: number, v: bigint | number | boolean): PbField => [field, { t: 'varint', v }],
  msg: (field: number, ...v: PbField[]): PbField => [field, { t: 'msg', v }],
  /** A map<string, X> entry. */
  entry: (field: number, key: string, value: PbValue): PbField => [field, { t: 'msg', v: [[1, { t: 'bytes', v: key }], [2, value]] }],
};

export const KUBE_PROTOBUF_MAGIC = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}, as client-go sends. */
export function encodeKubeEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const unknown = encodeMessage([pb.msg(1, pb.str(1, apiVersion), pb.str(2, kind)), pb.bytes(2, raw), pb.str(3, ''), pb.str(4, '')]);
  const out = new Uint8Array(KUBE_PROTOBUF_MAGIC.length + unknown.length);
  out.set(KUBE_PROTOBUF_MAGIC, 0);
  out.set(unknown, KUBE_PROTOBUF_MAGIC.length);
  return out;
}
