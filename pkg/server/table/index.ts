// Package table renders objects as meta.k8s.io/v1 Tables for `kubectl get`.
export { toTable, printerColumnsOf, columnDefinitions, cellFor, partialObjectMetadata, DEFAULT_AGE_COLUMN } from './table.ts';
export type { IncludeObject, Table, TableColumnDefinition, TableOptions, TableRow } from './table.ts';
export { evaluateJSONPath, parseJSONPath, JSONPathError } from './jsonpath.ts';
export { humanDuration, humanAge } from './human-duration.ts';
