// rbac.authorization.k8s.io/v1 messages (k8s.io/api rbac/v1/generated.proto), as
// `kubectl create role|clusterrole|rolebinding|clusterrolebinding` send them.
import type { MessageSpec } from './message.ts';
import { labelSelector, metadata } from './types.ts';

const policyRule: MessageSpec = {
  1: { name: 'verbs', type: 'string', repeated: true },
  2: { name: 'apiGroups', type: 'string', repeated: true },
  3: { name: 'resources', type: 'string', repeated: true },
  4: { name: 'resourceNames', type: 'string', repeated: true },
  5: { name: 'nonResourceURLs', type: 'string', repeated: true },
};

const rules = { name: 'rules', type: 'message', message: policyRule, repeated: true } as const;

export const role: MessageSpec = { 1: metadata, 2: rules };

export const clusterRole: MessageSpec = {
  1: metadata,
  2: rules,
  3: {
    name: 'aggregationRule',
    type: 'message',
    message: { 1: { name: 'clusterRoleSelectors', type: 'message', message: labelSelector, repeated: true } },
  },
};

const subject: MessageSpec = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'apiGroup', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'namespace', type: 'string' },
};

const roleRef: MessageSpec = {
  // apiGroup is required in JSON even when empty (core group), so it is kept as "".
  1: { name: 'apiGroup', type: 'string', keepZero: true },
  2: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
};

/** RoleBinding and ClusterRoleBinding share one message shape. */
export const roleBinding: MessageSpec = {
  1: metadata,
  2: { name: 'subjects', type: 'message', message: subject, repeated: true },
  3: { name: 'roleRef', type: 'message', message: roleRef },
};
