// authentication.k8s.io/v1 TokenRequest (k8s.io/api authentication/v1/generated.proto), as
// `kubectl create token` sends it to POST …/serviceaccounts/<name>/token.
import type { MessageSpec } from './message.ts';
import { metadata } from './types.ts';

const boundObjectReference: MessageSpec = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'apiVersion', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
};

export const tokenRequest: MessageSpec = {
  1: metadata,
  2: {
    name: 'spec',
    type: 'message',
    message: {
      1: { name: 'audiences', type: 'string', repeated: true },
      // A pointer in Go: present only when --duration was given, so an explicit 0 is kept.
      4: { name: 'expirationSeconds', type: 'int64', keepZero: true },
      3: { name: 'boundObjectRef', type: 'message', message: boundObjectReference },
    },
  },
  3: {
    name: 'status',
    type: 'message',
    message: { 1: { name: 'token', type: 'string' }, 2: { name: 'expirationTimestamp', type: 'time' } },
  },
};
