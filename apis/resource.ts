// A ResourceDefinition declares one API resource once: names, scope, schema (validation
// and defaults), printer columns and subresources. The API server derives discovery,
// OpenAPI, admission and Table printing from it; nothing else lists resources by hand.
import type { z } from 'zod';

export type PrinterColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface PrinterColumn {
  name: string;
  type: PrinterColumnType;
  format?: string;
  description?: string;
  /** 0 = always shown; >0 only with `kubectl get -o wide`. */
  priority?: number;
  /** Simple JSONPath as in CRD additionalPrinterColumns, e.g. `.status.phase` or `.status.conditions[?(@.type=="Ready")].status`. */
  jsonPath: string;
  /**
   * Computes the cell when a JSONPath cannot (built-in columns such as Deployment READY
   * "2/3"). jsonPath still documents the source field.
   */
  value?: (obj: Record<string, unknown>) => unknown;
}

/** A field-selector field beyond metadata.name / metadata.namespace (e.g. Event involvedObject.name). */
export type FieldAccessor = (obj: Record<string, unknown>) => string | undefined;

/** One invalid field, in Kubernetes' StatusCause shape (reason FieldValueInvalid, FieldValueRequired, …). */
export interface FieldCause {
  reason: string;
  message: string;
  /** Absent for causes about the request rather than a field (e.g. ResourceVersionTooLarge). */
  field?: string;
}

/**
 * The `scale` subresource (autoscaling/v1 Scale), as a CRD's subresources.scale declares it:
 * where the desired and observed replica counts live, and the pods' label selector as the
 * string Scale.status.selector carries.
 */
export interface ScaleSubresource {
  /** Path of the desired replicas, e.g. ['spec', 'replicas']. */
  specReplicasPath: string[];
  /** Path of the observed replicas, e.g. ['status', 'replicas']. */
  statusReplicasPath: string[];
  /** Scale.status.selector for this object ('' when there is none). */
  selector: (obj: Record<string, unknown>) => string;
}

export interface ResourceDefinition {
  /** API group; '' is the core group (served under /api/v1). */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  /** Verbs advertised in discovery (and accepted by the server). */
  verbs: string[];
  subresources: { status?: boolean; scale?: ScaleSubresource };
  /** Human description used in OpenAPI / `kubectl explain`. */
  description: string;
  /**
   * Schema of the whole object (apiVersion, kind, metadata, spec, status, or top-level data
   * for core types). Parsing applies defaults; keys a schema does not know are dropped
   * (that difference is how the server finds "unknown fields" for fieldValidation).
   */
  schema: z.ZodType;
  printerColumns: PrinterColumn[];
  /** Extra field-selector fields, by field label. */
  selectableFields?: Record<string, FieldAccessor>;
  /**
   * metadata.generation is set to 1 on create and bumped when the spec changes. kube does
   * this only where a controller reports observedGeneration (Deployments, custom resources);
   * ConfigMaps, Secrets, Namespaces, Leases, Events and RBAC objects carry no generation.
   */
  generation?: boolean;
  /** Built-in types accept strategic-merge-patch (kubectl's default for them). */
  strategicMergePatch?: boolean;
  /** Validation that a schema cannot express (cross-field rules, immutability on update). */
  validate?: (obj: Record<string, unknown>, old?: Record<string, unknown>) => FieldCause[];
  /**
   * metadata.name rule as apimachinery's ValidateNameFunc (with prefix=true the value is a
   * generateName). Absent means DNS-1123 subdomain, the rule most resources use.
   */
  validateName?: (name: string, prefix: boolean) => string[];
  /** Not stored: create-only virtual resources such as SelfSubjectAccessReview. */
  virtual?: boolean;
}

export function groupVersion(def: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return def.group === '' ? def.version : `${def.group}/${def.version}`;
}
