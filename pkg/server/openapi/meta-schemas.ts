// Hand-written schemas of the apimachinery types every group-version document references:
// Status (error replies), DeleteOptions (DELETE bodies), Patch (PATCH bodies).

export const META_PREFIX = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const STATUS_DEFINITION = `${META_PREFIX}.Status`;
export const DELETE_OPTIONS_DEFINITION = `${META_PREFIX}.DeleteOptions`;
export const PATCH_DEFINITION = `${META_PREFIX}.Patch`;

export type JSONSchema = Record<string, unknown>;

function ref(prefix: string, name: string): JSONSchema {
  return { allOf: [{ $ref: `${prefix}${name}` }] };
}

export function metaSchemas(refPrefix: string): Record<string, JSONSchema> {
  return {
    [STATUS_DEFINITION]: {
      description: 'Status is a return value for calls that don\'t return other objects.',
      type: 'object',
      properties: {
        apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
        kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
        metadata: { ...ref(refPrefix, `${META_PREFIX}.ListMeta`), default: {}, description: 'Standard list metadata.' },
        status: { type: 'string', description: 'Status of the operation. One of: "Success" or "Failure".' },
        message: { type: 'string', description: 'A human-readable description of the status of this operation.' },
        reason: { type: 'string', description: 'A machine-readable description of why this operation is in the "Failure" status.' },
        details: {
          type: 'object',
          description: 'Extended data associated with the reason.',
          properties: {
            name: { type: 'string' }, group: { type: 'string' }, kind: { type: 'string' }, uid: { type: 'string' },
            retryAfterSeconds: { type: 'integer', format: 'int32' },
            causes: {
              type: 'array',
              items: {
                type: 'object',
                properties: { reason: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
              },
            },
          },
        },
        code: { type: 'integer', format: 'int32', description: 'Suggested HTTP return code for this status, 0 if not set.' },
      },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }],
    },
    [DELETE_OPTIONS_DEFINITION]: {
      description: 'DeleteOptions may be provided when deleting an API object.',
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        dryRun: { type: 'array', items: { type: 'string', default: '' }, description: 'When present, indicates that modifications should not be persisted.' },
        gracePeriodSeconds: { type: 'integer', format: 'int64', description: 'The duration in seconds before the object should be deleted.' },
        preconditions: {
          type: 'object',
          description: 'Must be fulfilled before a deletion is carried out.',
          properties: { resourceVersion: { type: 'string' }, uid: { type: 'string' } },
        },
        propagationPolicy: { type: 'string', description: "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'." },
        orphanDependents: { type: 'boolean', description: 'Deprecated: please use the PropagationPolicy.' },
      },
    },
    [PATCH_DEFINITION]: {
      description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
      type: 'object',
    },
  };
}
