// ObjectMeta rules every resource shares (apimachinery ValidateObjectMeta): a valid name or
// generateName, a namespace exactly when the resource is namespaced, valid label keys and
// values, valid annotation keys.
import type { FieldCause, ResourceDefinition } from '../../../apis/resource.ts';
import {
  isQualifiedName, isValidLabelValue, validateDNS1123LabelName, validateDNS1123SubdomainName,
} from '../../../apis/meta/v1/validation.ts';

type Meta = Record<string, unknown>;

function invalid(field: string, value: string, detail: string): FieldCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

export function validateObjectMeta(def: ResourceDefinition, obj: Record<string, unknown>): FieldCause[] {
  if (def.virtual) return []; // review objects carry no identity
  const meta = (typeof obj.metadata === 'object' && obj.metadata !== null ? obj.metadata : {}) as Meta;
  return [...nameCauses(def, meta), ...namespaceCauses(def, meta), ...labelCauses(meta), ...annotationCauses(meta)];
}

function nameCauses(def: ResourceDefinition, meta: Meta): FieldCause[] {
  const validateName = def.validateName ?? validateDNS1123SubdomainName;
  const name = typeof meta.name === 'string' ? meta.name : '';
  const generateName = typeof meta.generateName === 'string' ? meta.generateName : '';
  if (name !== '') return validateName(name, false).map((msg) => invalid('metadata.name', name, msg));
  if (generateName !== '') return validateName(generateName, true).map((msg) => invalid('metadata.generateName', generateName, msg));
  return [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }];
}

function namespaceCauses(def: ResourceDefinition, meta: Meta): FieldCause[] {
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  if (def.namespaced) {
    if (ns === '') return [{ reason: 'FieldValueRequired', field: 'metadata.namespace', message: 'Required value' }];
    return validateDNS1123LabelName(ns, false).map((msg) => invalid('metadata.namespace', ns, msg));
  }
  if (ns !== '') return [{ reason: 'FieldValueForbidden', field: 'metadata.namespace', message: 'Forbidden: not allowed on this type' }];
  return [];
}

function labelCauses(meta: Meta): FieldCause[] {
  const labels = meta.labels;
  if (typeof labels !== 'object' || labels === null) return [];
  const causes: FieldCause[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    for (const msg of isQualifiedName(key)) causes.push(invalid('metadata.labels', key, msg));
    if (typeof value === 'string') for (const msg of isValidLabelValue(value)) causes.push(invalid('metadata.labels', value, msg));
  }
  return causes;
}

function annotationCauses(meta: Meta): FieldCause[] {
  const annotations = meta.annotations;
  if (typeof annotations !== 'object' || annotations === null) return [];
  const causes: FieldCause[] = [];
  for (const key of Object.keys(annotations)) {
    for (const msg of isQualifiedName(key.toLowerCase())) causes.push(invalid('metadata.annotations', key, msg));
  }
  return causes;
}
