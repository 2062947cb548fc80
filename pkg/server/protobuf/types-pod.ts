// core/v1 PodTemplateSpec, modelled in part (k8s.io/api core/v1/generated.proto): what
// `kubectl create deployment` sends plus the common scalar fields. Decoded strictly (see
// message.ts), so a body using an unmodelled field (volumes, probes, securityContext,
// affinity, env valueFrom, …) is answered 415 rather than losing it.
import type { MessageSpec } from './message.ts';
import { QUANTITY } from './message.ts';
import { metadata } from './types.ts';

const containerPort: MessageSpec = {
  1: { name: 'name', type: 'string' },
  2: { name: 'hostPort', type: 'int32' },
  // JSON has no omitempty on containerPort.
  3: { name: 'containerPort', type: 'int32', keepZero: true },
  4: { name: 'protocol', type: 'string' },
  5: { name: 'hostIP', type: 'string' },
};

const envVar: MessageSpec = {
  1: { name: 'name', type: 'string' },
  2: { name: 'value', type: 'string' },
};

const resourceRequirements: MessageSpec = {
  1: { name: 'limits', type: 'map', value: QUANTITY },
  2: { name: 'requests', type: 'map', value: QUANTITY },
};

const volumeMount: MessageSpec = {
  1: { name: 'name', type: 'string' },
  2: { name: 'readOnly', type: 'bool' },
  3: { name: 'mountPath', type: 'string' },
  4: { name: 'subPath', type: 'string' },
  5: { name: 'mountPropagation', type: 'string' },
  6: { name: 'subPathExpr', type: 'string' },
  7: { name: 'recursiveReadOnly', type: 'string' },
};

const container: MessageSpec = {
  1: { name: 'name', type: 'string' },
  2: { name: 'image', type: 'string' },
  3: { name: 'command', type: 'string', repeated: true },
  4: { name: 'args', type: 'string', repeated: true },
  5: { name: 'workingDir', type: 'string' },
  6: { name: 'ports', type: 'message', message: containerPort, repeated: true },
  7: { name: 'env', type: 'message', message: envVar, repeated: true },
  8: { name: 'resources', type: 'message', message: resourceRequirements },
  9: { name: 'volumeMounts', type: 'message', message: volumeMount, repeated: true },
  13: { name: 'terminationMessagePath', type: 'string' },
  14: { name: 'imagePullPolicy', type: 'string' },
  16: { name: 'stdin', type: 'bool' },
  17: { name: 'stdinOnce', type: 'bool' },
  18: { name: 'tty', type: 'bool' },
  20: { name: 'terminationMessagePolicy', type: 'string' },
  24: { name: 'restartPolicy', type: 'string' },
};

const toleration: MessageSpec = {
  1: { name: 'key', type: 'string' },
  2: { name: 'operator', type: 'string' },
  3: { name: 'value', type: 'string' },
  4: { name: 'effect', type: 'string' },
  5: { name: 'tolerationSeconds', type: 'int64', keepZero: true },
};

// keepZero marks Go pointer fields: written only when set, so a written 0/false is meant.
const podSpec: MessageSpec = {
  2: { name: 'containers', type: 'message', message: container, repeated: true },
  20: { name: 'initContainers', type: 'message', message: container, repeated: true },
  3: { name: 'restartPolicy', type: 'string' },
  4: { name: 'terminationGracePeriodSeconds', type: 'int64', keepZero: true },
  5: { name: 'activeDeadlineSeconds', type: 'int64', keepZero: true },
  6: { name: 'dnsPolicy', type: 'string' },
  7: { name: 'nodeSelector', type: 'map', value: 'string' },
  8: { name: 'serviceAccountName', type: 'string' },
  9: { name: 'serviceAccount', type: 'string' },
  21: { name: 'automountServiceAccountToken', type: 'bool', keepZero: true },
  10: { name: 'nodeName', type: 'string' },
  11: { name: 'hostNetwork', type: 'bool' },
  12: { name: 'hostPID', type: 'bool' },
  13: { name: 'hostIPC', type: 'bool' },
  27: { name: 'shareProcessNamespace', type: 'bool', keepZero: true },
  15: { name: 'imagePullSecrets', type: 'message', message: { 1: { name: 'name', type: 'string' } }, repeated: true },
  16: { name: 'hostname', type: 'string' },
  17: { name: 'subdomain', type: 'string' },
  19: { name: 'schedulerName', type: 'string' },
  22: { name: 'tolerations', type: 'message', message: toleration, repeated: true },
  24: { name: 'priorityClassName', type: 'string' },
  25: { name: 'priority', type: 'int32', keepZero: true },
  29: { name: 'runtimeClassName', type: 'string' },
  30: { name: 'enableServiceLinks', type: 'bool', keepZero: true },
  31: { name: 'preemptionPolicy', type: 'string' },
  35: { name: 'setHostnameAsFQDN', type: 'bool', keepZero: true },
  37: { name: 'hostUsers', type: 'bool', keepZero: true },
};

export const podTemplateSpec: MessageSpec = {
  1: metadata,
  2: { name: 'spec', type: 'message', message: podSpec },
};
