// apiVersion and kind for a resource's top-level schema: defaulted from the declaration
// (clients may omit them in requests) and rejected when they name another type.
import { z } from 'zod';

const API_VERSION_DESCRIPTION = 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DESCRIPTION = 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

export function typeMetaFields<GV extends string, K extends string>(apiVersion: GV, kind: K) {
  return {
    apiVersion: z.literal(apiVersion).default(apiVersion).describe(API_VERSION_DESCRIPTION),
    kind: z.literal(kind).default(kind).describe(KIND_DESCRIPTION),
  };
}

export { API_VERSION_DESCRIPTION, KIND_DESCRIPTION };
