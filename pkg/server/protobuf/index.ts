// Decoding of the protobuf bodies kubectl 1.32 sends (see kubectl-notes §0, §8).
export { decodeKubeProtobuf, decodeKubeEnvelope, isKubeProtobuf, supportedProtobufKinds, KUBE_PROTOBUF_CONTENT_TYPE } from './decode.ts';
export type { DecodedObject, KubeEnvelope } from './decode.ts';
export { ProtobufError } from './errors.ts';
export type { ProtobufErrorKind } from './errors.ts';
