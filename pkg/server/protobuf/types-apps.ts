// apps/v1 Deployment (k8s.io/api apps/v1/generated.proto), as `kubectl create deployment`
// sends it. The pod template is modelled in part, so Deployment decodes strictly.
import type { MessageSpec } from './message.ts';
import { labelSelector, metadata } from './types.ts';
import { podTemplateSpec } from './types-pod.ts';

const deploymentStrategy: MessageSpec = {
  1: { name: 'type', type: 'string' },
  2: {
    name: 'rollingUpdate',
    type: 'message',
    message: { 1: { name: 'maxUnavailable', type: 'intOrString' }, 2: { name: 'maxSurge', type: 'intOrString' } },
  },
};

const deploymentCondition: MessageSpec = {
  1: { name: 'type', type: 'string' },
  2: { name: 'status', type: 'string' },
  6: { name: 'lastUpdateTime', type: 'time' },
  7: { name: 'lastTransitionTime', type: 'time' },
  4: { name: 'reason', type: 'string' },
  5: { name: 'message', type: 'string' },
};

// keepZero marks Go pointer fields (replicas: 0 is a real request).
const deploymentSpec: MessageSpec = {
  1: { name: 'replicas', type: 'int32', keepZero: true },
  2: { name: 'selector', type: 'message', message: labelSelector },
  3: { name: 'template', type: 'message', message: podTemplateSpec },
  4: { name: 'strategy', type: 'message', message: deploymentStrategy },
  5: { name: 'minReadySeconds', type: 'int32' },
  6: { name: 'revisionHistoryLimit', type: 'int32', keepZero: true },
  7: { name: 'paused', type: 'bool' },
  9: { name: 'progressDeadlineSeconds', type: 'int32', keepZero: true },
};

const deploymentStatus: MessageSpec = {
  1: { name: 'observedGeneration', type: 'int64' },
  2: { name: 'replicas', type: 'int32' },
  3: { name: 'updatedReplicas', type: 'int32' },
  7: { name: 'readyReplicas', type: 'int32' },
  4: { name: 'availableReplicas', type: 'int32' },
  5: { name: 'unavailableReplicas', type: 'int32' },
  9: { name: 'terminatingReplicas', type: 'int32', keepZero: true },
  6: { name: 'conditions', type: 'message', message: deploymentCondition, repeated: true },
  8: { name: 'collisionCount', type: 'int32', keepZero: true },
};

export const deployment: MessageSpec = {
  1: metadata,
  2: { name: 'spec', type: 'message', message: deploymentSpec },
  3: { name: 'status', type: 'message', message: deploymentStatus },
};
