// Server-side printing: objects → a meta.k8s.io/v1 Table, as kubectl asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Columns come from the resource's
// printer columns (Name first); `date` cells are rendered as ages server-side, as the
// apiextensions tableconvertor does.
import type { PrinterColumn, PrinterColumnType, ResourceDefinition } from '../../../apis/resource.ts';
import { evaluateJSONPath } from './jsonpath.ts';
import { humanAge } from './human-duration.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableColumnDefinition {
  name: string;
  type: PrinterColumnType;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: Record<string, unknown>;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface TableOptions {
  /** What each row carries in `object`; defaults to Metadata (PartialObjectMetadata), as the real server. */
  includeObject?: IncludeObject;
  /** Omit column definitions (watch events after the first). */
  noHeaders?: boolean;
  /**
   * The real server always returns priority>0 columns and kubectl hides them without
   * `-o wide`; so does this unless `wide: false` is passed explicitly.
   */
  wide?: boolean;
  /** Injected clock for `date` cells, in ms since the epoch. Defaults to Date.now(). */
  now?: number;
  /** List metadata to copy onto the Table (resourceVersion is what `get -w` watches from). */
  listMeta?: Table['metadata'];
}

const NAME_COLUMN: TableColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

/** Used when a resource declares no printer columns (apiextensions-apiserver's default). */
export const DEFAULT_AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.',
};

export function printerColumnsOf(def: Pick<ResourceDefinition, 'printerColumns'>, wide = true): PrinterColumn[] {
  const columns = def.printerColumns.length > 0 ? def.printerColumns : [DEFAULT_AGE_COLUMN];
  return wide ? columns : columns.filter((c) => (c.priority ?? 0) === 0);
}

export function columnDefinitions(columns: PrinterColumn[]): TableColumnDefinition[] {
  return [NAME_COLUMN, ...columns.map((c) => ({
    name: c.name,
    type: c.type,
    format: c.format ?? '',
    description: c.description ?? '',
    priority: c.priority ?? 0,
  }))];
}

export function toTable(def: Pick<ResourceDefinition, 'printerColumns'>, objects: Array<Record<string, unknown>>, options: TableOptions = {}): Table {
  const columns = printerColumnsOf(def, options.wide !== false);
  const now = options.now ?? Date.now();
  const includeObject = options.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { ...options.listMeta },
    columnDefinitions: options.noHeaders ? [] : columnDefinitions(columns),
    rows: objects.map((obj) => toRow(obj, columns, now, includeObject)),
  };
}

function toRow(obj: Record<string, unknown>, columns: PrinterColumn[], now: number, includeObject: IncludeObject): TableRow {
  const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
  const row: TableRow = { cells: [metadata.name ?? '', ...columns.map((c) => cellFor(c, obj, now))] };
  if (includeObject === 'Object') row.object = obj;
  else if (includeObject === 'Metadata') row.object = partialObjectMetadata(metadata);
  return row;
}

export function partialObjectMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

/** One cell: null when the path selects nothing (kubectl prints `<none>`). */
export function cellFor(column: PrinterColumn, obj: Record<string, unknown>, now: number): unknown {
  const value = column.value ? column.value(obj) : selectValue(column.jsonPath, obj);
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case 'date':
      return typeof value === 'string' ? humanAge(value, now) : value;
    case 'integer':
    case 'number':
    case 'boolean':
      return value;
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

function selectValue(jsonPath: string, obj: Record<string, unknown>): unknown {
  const results = evaluateJSONPath(jsonPath, obj);
  if (results.length === 0) return undefined;
  if (results.length === 1) return results[0];
  // Several matches (e.g. a wildcard) print comma-separated, like kubectl's JSONPath printer.
  return results.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join(',');
}
