// Package admission turns a request body into a stored-ready object: zod defaults and
// validation, unknown-field handling per fieldValidation, ObjectMeta rules and each
// resource's own validate(). Entry point: admit().
export { admit, unknownFieldWarning } from './admit.ts';
export type { AdmitOptions, AdmitResult, FieldValidation } from './admit.ts';
export { findUnknownFields } from './unknown-fields.ts';
export { issuesToCauses } from './zod-causes.ts';
export { validateObjectMeta } from './object-meta.ts';
export { formatFieldPath } from './field-path.ts';
