// The one error type of the protobuf decoder.
//   BadRequest   400  the body is not a well-formed Kubernetes protobuf envelope/message
//   Unsupported  415  well-formed, but a kind (or content encoding) we do not decode
export type ProtobufErrorKind = 'BadRequest' | 'Unsupported';

export class ProtobufError extends Error {
  readonly kind: ProtobufErrorKind;
  constructor(kind: ProtobufErrorKind, message: string) {
    super(message);
    this.name = 'ProtobufError';
    this.kind = kind;
  }
}
