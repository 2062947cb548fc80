// Schema-driven decoding of protobuf messages into the JSON shape the API uses. A schema
// names each field number, its JSON name and type; unknown field numbers are skipped (as
// protobuf requires). Zero scalars are dropped unless `keepZero` is set, because Go's
// generated marshallers write every non-pointer field while the JSON form omits empty ones.
//
// Strict decoding (for kinds modelled only in part, like Deployment): an unmodelled field
// that carries a non-zero value is refused as Unsupported (415) instead of being dropped,
// because silently losing e.g. a pod's volumes is worse than asking the client for JSON.
// Zero values (varint 0, empty bytes) are what Go writes for every unset field, so they pass.
import { ProtobufError } from './errors.ts';
import { readFields, WIRE_LEN, WIRE_VARINT } from './wire.ts';
import type { WireField } from './wire.ts';
import { formatTime } from '../../../apis/meta/v1/time.ts';

export type ScalarType = 'string' | 'bytes' | 'int64' | 'int32' | 'bool';

export type FieldSpec =
  | { name: string; type: ScalarType; repeated?: boolean; keepZero?: boolean }
  | { name: string; type: 'message'; message: MessageSpec; repeated?: boolean }
  /** metav1.Time: Timestamp{seconds, nanos} → RFC 3339 seconds, as its JSON form. */
  | { name: string; type: 'time' }
  /** map<string, V>: repeated entries {1: key, 2: value}. */
  | { name: string; type: 'map'; value: MapValue }
  /** metav1.FieldsV1 {1: Raw}: raw JSON bytes → parsed JSON. */
  | { name: string; type: 'fieldsV1' }
  /** intstr.IntOrString {1: type (0 int, 1 string), 2: intVal, 3: strVal} → number | string. */
  | { name: string; type: 'intOrString' };

/** resource.Quantity {1: string} → its string form; usable as a map value. */
export const QUANTITY = 'quantity';
export type MapValue = ScalarType | typeof QUANTITY | MessageSpec;

export interface DecodeOptions {
  /** Refuse unmodelled fields with non-zero values (see the file comment). */
  strict?: boolean;
}

export type MessageSpec = { readonly [field: number]: FieldSpec };

const decoder = new TextDecoder('utf-8');

function bad(msg: string): ProtobufError {
  return new ProtobufError('BadRequest', `invalid protobuf: ${msg}`);
}

function expectWire(f: WireField, wire: number, name: string): void {
  if (f.wire !== wire) throw bad(`field ${f.field} (${name}) has wire type ${f.wire}, want ${wire}`);
}

function scalar(f: WireField, type: ScalarType, name: string): string | number | boolean {
  switch (type) {
    case 'string':
      expectWire(f, WIRE_LEN, name);
      return decoder.decode(f.bytes);
    case 'bytes':
      expectWire(f, WIRE_LEN, name);
      return Buffer.from(f.bytes ?? new Uint8Array()).toString('base64');
    case 'bool':
      expectWire(f, WIRE_VARINT, name);
      return (f.varint ?? 0n) !== 0n;
    case 'int32':
      expectWire(f, WIRE_VARINT, name);
      return Number(BigInt.asIntN(32, f.varint ?? 0n));
    case 'int64':
      expectWire(f, WIRE_VARINT, name);
      // int64 beyond 2^53 loses precision, as it would in any JSON client.
      return Number(BigInt.asIntN(64, f.varint ?? 0n));
  }
}

const isZero = (v: unknown) => v === '' || v === 0 || v === false;

function decodeTime(bytes: Uint8Array): string | undefined {
  // metav1.Time marshals the zero time as an empty message; JSON shows null (omitted here).
  if (bytes.length === 0) return undefined;
  let seconds = 0n;
  for (const f of readFields(bytes)) {
    if (f.field === 1) {
      expectWire(f, WIRE_VARINT, 'seconds');
      seconds = BigInt.asIntN(64, f.varint ?? 0n);
    }
  }
  // metav1.Time drops nanoseconds on decode; JSON carries whole seconds.
  const ms = Number(seconds) * 1000;
  const date = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(date.getTime())) throw bad(`time out of range: ${seconds}s`);
  return formatTime(date);
}

function isZeroField(f: WireField): boolean {
  if (f.wire === WIRE_VARINT) return f.varint === 0n;
  if (f.wire === WIRE_LEN) return (f.bytes?.length ?? 0) === 0;
  // fixed32/fixed64 values are skipped unread; Kubernetes messages never use them.
  return false;
}

function unmodelled(f: WireField, path: string): ProtobufError {
  const where = path === '' ? '' : ` of ${path}`;
  return new ProtobufError('Unsupported', `protobuf field ${f.field}${where} is set but not decoded by this server; send JSON`);
}

function decodeIntOrString(bytes: Uint8Array): number | string {
  let isString = false;
  let intVal = 0;
  let strVal = '';
  for (const f of readFields(bytes)) {
    if (f.field === 1) isString = scalar(f, 'int64', 'type') === 1;
    else if (f.field === 2) intVal = scalar(f, 'int32', 'intVal') as number;
    else if (f.field === 3) strVal = scalar(f, 'string', 'strVal') as string;
  }
  return isString ? strVal : intVal;
}

function decodeQuantity(bytes: Uint8Array, name: string): string {
  let value = '';
  for (const f of readFields(bytes)) if (f.field === 1) value = scalar(f, 'string', name) as string;
  return value;
}

export function decodeMessage(bytes: Uint8Array, spec: MessageSpec, opts: DecodeOptions = {}, path = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (name: string, value: unknown, repeated: boolean | undefined) => {
    if (repeated) {
      const list = (Object.hasOwn(out, name) ? out[name] : undefined) as unknown[] | undefined;
      if (list) list.push(value);
      else out[name] = [value];
    } else {
      out[name] = value;
    }
  };
  for (const f of readFields(bytes)) {
    const fs = Object.hasOwn(spec, f.field) ? spec[f.field] : undefined;
    if (fs === undefined) {
      if (opts.strict && !isZeroField(f)) throw unmodelled(f, path);
      continue;
    }
    const child = path === '' ? fs.name : `${path}.${fs.name}`;
    switch (fs.type) {
      case 'message':
        expectWire(f, WIRE_LEN, fs.name);
        put(fs.name, decodeMessage(f.bytes ?? new Uint8Array(), fs.message, opts, child), fs.repeated);
        break;
      case 'intOrString':
        expectWire(f, WIRE_LEN, fs.name);
        out[fs.name] = decodeIntOrString(f.bytes ?? new Uint8Array());
        break;
      case 'time': {
        expectWire(f, WIRE_LEN, fs.name);
        const t = decodeTime(f.bytes ?? new Uint8Array());
        if (t !== undefined) out[fs.name] = t;
        else delete out[fs.name];
        break;
      }
      case 'map': {
        expectWire(f, WIRE_LEN, fs.name);
        const entry = decodeMapEntry(f.bytes ?? new Uint8Array(), fs.value, fs.name, opts, child);
        const map = (Object.hasOwn(out, fs.name) ? out[fs.name] : (out[fs.name] = {})) as Record<string, unknown>;
        // Map keys come from the client: define, never assign, so `__proto__` stays data.
        Object.defineProperty(map, entry.key, { value: entry.value, enumerable: true, writable: true, configurable: true });
        break;
      }
      case 'fieldsV1': {
        expectWire(f, WIRE_LEN, fs.name);
        const raw = readFields(f.bytes ?? new Uint8Array()).find((x) => x.field === 1);
        if (raw === undefined) break;
        expectWire(raw, WIRE_LEN, 'Raw');
        try {
          out[fs.name] = JSON.parse(decoder.decode(raw.bytes)) as unknown;
        } catch {
          throw bad(`${fs.name} is not valid JSON`);
        }
        break;
      }
      default: {
        const v = scalar(f, fs.type, fs.name);
        if (fs.repeated) put(fs.name, v, true);
        else if (isZero(v) && !fs.keepZero) delete out[fs.name];
        else out[fs.name] = v;
      }
    }
  }
  return out;
}

function zeroOf(value: MapValue): unknown {
  if (typeof value !== 'string') return {};
  if (value === 'bool') return false;
  return value === 'int32' || value === 'int64' ? 0 : '';
}

function decodeMapEntry(bytes: Uint8Array, value: MapValue, name: string, opts: DecodeOptions, path: string): { key: string; value: unknown } {
  let key = '';
  let val: unknown = zeroOf(value);
  for (const f of readFields(bytes)) {
    if (f.field === 1) {
      expectWire(f, WIRE_LEN, `${name} key`);
      key = decoder.decode(f.bytes);
    } else if (f.field === 2) {
      if (value === QUANTITY) {
        expectWire(f, WIRE_LEN, `${name} value`);
        val = decodeQuantity(f.bytes ?? new Uint8Array(), `${name} value`);
      } else if (typeof value === 'string') val = scalar(f, value, `${name} value`);
      else {
        expectWire(f, WIRE_LEN, `${name} value`);
        val = decodeMessage(f.bytes ?? new Uint8Array(), value, opts, `${path}[${JSON.stringify(key)}]`);
      }
    }
  }
  return { key, value: val };
}
