// Server-side apply (field managers, conflicts) and managedFields bookkeeping for writes.
export { serverSideApply, recordUpdate } from './apply.ts';
export type { ApplyOptions, ApplyResult, ManagedWriteOptions } from './apply.ts';
export { ApplyError } from './errors.ts';
export type { ApplyErrorKind } from './errors.ts';
export { applySchemaFor, META_ONLY_SCHEMA } from './schema.ts';
export type { ApplySchema, ListOrMapType } from './schema.ts';
export { decodeManagedFields, encodeManagedFields } from './managed-fields.ts';
export type { ManagedFieldsEntry } from './managed-fields.ts';
export { FieldSet, pathToString } from './fieldset.ts';
