// Protobuf wire format, reading side: varints, length-delimited fields, and skipping of
// fixed32/fixed64. Every read is bounds-checked and every failure is a ProtobufError, so
// garbage from the network can only ever produce that one typed error.
import { ProtobufError } from './errors.ts';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export interface WireField {
  field: number;
  wire: number;
  /** WIRE_VARINT: the value as an unsigned 64-bit bigint. */
  varint?: bigint;
  /** WIRE_LEN: a view onto the payload (no copy). */
  bytes?: Uint8Array;
}

const bad = (msg: string) => new ProtobufError('BadRequest', `invalid protobuf: ${msg}`);

export class WireReader {
  private readonly buf: Uint8Array;
  private pos = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Up to 10 bytes, 64 bits; longer or truncated encodings are rejected. */
  varint(): bigint {
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw bad('truncated varint');
      const b = this.buf[this.pos++] ?? 0;
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw bad('varint longer than 10 bytes');
  }

  private take(n: number): Uint8Array {
    if (n < 0 || n > this.buf.length - this.pos) throw bad('length beyond end of message');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  next(): WireField {
    const key = this.varint();
    const wire = Number(key & 7n);
    const fieldBig = key >> 3n;
    if (fieldBig === 0n || fieldBig > 536_870_911n) throw bad(`field number ${fieldBig}`);
    const field = Number(fieldBig);
    switch (wire) {
      case WIRE_VARINT:
        return { field, wire, varint: this.varint() };
      case WIRE_FIXED64:
        this.take(8);
        return { field, wire };
      case WIRE_LEN: {
        const len = this.varint();
        if (len > BigInt(this.buf.length - this.pos)) throw bad('length beyond end of message');
        return { field, wire, bytes: this.take(Number(len)) };
      }
      case WIRE_FIXED32:
        this.take(4);
        return { field, wire };
      default:
        // Groups (3, 4) are not used by Kubernetes; 6 and 7 do not exist.
        throw bad(`unsupported wire type ${wire} for field ${field}`);
    }
  }
}

/** All fields of one message, in order. */
export function readFields(buf: Uint8Array): WireField[] {
  const reader = new WireReader(buf);
  const out: WireField[] = [];
  while (!reader.done) out.push(reader.next());
  return out;
}
