// Field numbers of the messages kubectl 1.32 sends as protobuf, from the generated.proto
// files of k8s.io/apimachinery (meta/v1) and k8s.io/api (core/v1, authorization/v1,
// authentication/v1). Only request-side fields matter; status is decoded where cheap.
import type { MessageSpec } from './message.ts';

const ownerReference: MessageSpec = {
  5: { name: 'apiVersion', type: 'string' },
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  6: { name: 'controller', type: 'bool', keepZero: true },
  7: { name: 'blockOwnerDeletion', type: 'bool', keepZero: true },
};

const managedFieldsEntry: MessageSpec = {
  1: { name: 'manager', type: 'string' },
  2: { name: 'operation', type: 'string' },
  3: { name: 'apiVersion', type: 'string' },
  4: { name: 'time', type: 'time' },
  6: { name: 'fieldsType', type: 'string' },
  7: { name: 'fieldsV1', type: 'fieldsV1' },
  8: { name: 'subresource', type: 'string' },
};

export const objectMeta: MessageSpec = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  4: { name: 'selfLink', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int64' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int64', keepZero: true },
  11: { name: 'labels', type: 'map', value: 'string' },
  12: { name: 'annotations', type: 'map', value: 'string' },
  13: { name: 'ownerReferences', type: 'message', message: ownerReference, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
  17: { name: 'managedFields', type: 'message', message: managedFieldsEntry, repeated: true },
};

export const metadata = { name: 'metadata', type: 'message', message: objectMeta } as const;

const namespaceCondition: MessageSpec = {
  1: { name: 'type', type: 'string' },
  2: { name: 'status', type: 'string' },
  4: { name: 'lastTransitionTime', type: 'time' },
  5: { name: 'reason', type: 'string' },
  6: { name: 'message', type: 'string' },
};

export const namespace: MessageSpec = {
  1: metadata,
  2: { name: 'spec', type: 'message', message: { 1: { name: 'finalizers', type: 'string', repeated: true } } },
  3: {
    name: 'status',
    type: 'message',
    message: {
      1: { name: 'phase', type: 'string' },
      2: { name: 'conditions', type: 'message', message: namespaceCondition, repeated: true },
    },
  },
};

export const configMap: MessageSpec = {
  1: metadata,
  2: { name: 'data', type: 'map', value: 'string' },
  3: { name: 'binaryData', type: 'map', value: 'bytes' },
  4: { name: 'immutable', type: 'bool', keepZero: true },
};

export const secret: MessageSpec = {
  1: metadata,
  2: { name: 'data', type: 'map', value: 'bytes' },
  3: { name: 'type', type: 'string' },
  4: { name: 'stringData', type: 'map', value: 'string' },
  5: { name: 'immutable', type: 'bool', keepZero: true },
};

const objectReference: MessageSpec = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'namespace', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'fieldPath', type: 'string' },
};

export const serviceAccount: MessageSpec = {
  1: metadata,
  2: { name: 'secrets', type: 'message', message: objectReference, repeated: true },
  3: { name: 'imagePullSecrets', type: 'message', message: { 1: { name: 'name', type: 'string' } }, repeated: true },
  4: { name: 'automountServiceAccountToken', type: 'bool', keepZero: true },
};

const selectorRequirement: MessageSpec = {
  1: { name: 'key', type: 'string' },
  2: { name: 'operator', type: 'string' },
  3: { name: 'values', type: 'string', repeated: true },
};

const selectorAttributes: MessageSpec = {
  1: { name: 'rawSelector', type: 'string' },
  2: { name: 'requirements', type: 'message', message: selectorRequirement, repeated: true },
};

const resourceAttributes: MessageSpec = {
  1: { name: 'namespace', type: 'string' },
  2: { name: 'verb', type: 'string' },
  3: { name: 'group', type: 'string' },
  4: { name: 'version', type: 'string' },
  5: { name: 'resource', type: 'string' },
  6: { name: 'subresource', type: 'string' },
  7: { name: 'name', type: 'string' },
  8: { name: 'fieldSelector', type: 'message', message: selectorAttributes },
  9: { name: 'labelSelector', type: 'message', message: selectorAttributes },
};

const subjectAccessReviewStatus: MessageSpec = {
  1: { name: 'allowed', type: 'bool', keepZero: true },
  4: { name: 'denied', type: 'bool' },
  2: { name: 'reason', type: 'string' },
  3: { name: 'evaluationError', type: 'string' },
};

export const selfSubjectAccessReview: MessageSpec = {
  1: metadata,
  2: {
    name: 'spec',
    type: 'message',
    message: {
      1: { name: 'resourceAttributes', type: 'message', message: resourceAttributes },
      2: {
        name: 'nonResourceAttributes',
        type: 'message',
        message: { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } },
      },
    },
  },
  3: { name: 'status', type: 'message', message: subjectAccessReviewStatus },
};

export const selfSubjectRulesReview: MessageSpec = {
  1: metadata,
  2: { name: 'spec', type: 'message', message: { 1: { name: 'namespace', type: 'string' } } },
};

const userInfo: MessageSpec = {
  1: { name: 'username', type: 'string' },
  2: { name: 'uid', type: 'string' },
  3: { name: 'groups', type: 'string', repeated: true },
  4: { name: 'extra', type: 'map', value: { 1: { name: 'items', type: 'string', repeated: true } } },
};

export const selfSubjectReview: MessageSpec = {
  1: metadata,
  2: { name: 'status', type: 'message', message: { 1: { name: 'userInfo', type: 'message', message: userInfo } } },
};

const labelSelectorRequirement: MessageSpec = {
  1: { name: 'key', type: 'string' },
  2: { name: 'operator', type: 'string' },
  3: { name: 'values', type: 'string', repeated: true },
};

/** meta/v1 LabelSelector. */
export const labelSelector: MessageSpec = {
  1: { name: 'matchLabels', type: 'map', value: 'string' },
  2: { name: 'matchExpressions', type: 'message', message: labelSelectorRequirement, repeated: true },
};
