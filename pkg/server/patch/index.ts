// Patch libraries for the API server's PATCH handler: merge patch (RFC 7386), JSON patch
// (RFC 6902) and strategic merge patch for built-in kinds. Pure functions over JSON.
export { applyMergePatch, createMergePatch } from './merge-patch.ts';
export { applyJsonPatch, parseJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.ts';
export type { JsonPatchOperation } from './json-patch.ts';
export { applyStrategicMergePatch } from './strategic-merge-patch.ts';
export { strategicSchemaFor } from './strategic-schema.ts';
export type { FieldStrategy, PatchStrategy, StrategicSchema } from './strategic-schema.ts';
export { PatchError, isPatchError, KUBE_GENERIC_INVALID_MESSAGE } from './errors.ts';
export type { PatchErrorKind } from './errors.ts';
export { deepClone, deepEqual, canonicalJson, isObject } from './json-value.ts';
export type { JsonObject } from './json-value.ts';
