import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../../apierrors/errors.ts';
import { classifyDeployError, DeployError } from './errors.ts';
import { PhysicalClusterClient } from './physical-client.ts';

test('classification: reasons and kinds', () => {
  const cases: [unknown, string, string][] = [
    [new StatusError('Unauthorized', 'bad token'), 'PhysicalClusterUnauthorized', 'unauthorized'],
    [new StatusError('Forbidden', 'no'), 'PhysicalClusterForbidden', 'forbidden'],
    [new StatusError('ServiceUnavailable', 'connect ECONNREFUSED'), 'PhysicalClusterUnreachable', 'unreachable'],
    [new StatusError('InternalError', 'boom'), 'PhysicalClusterUnreachable', 'unreachable'],
    [new StatusError('Conflict', 'busy'), 'PhysicalClusterUnreachable', 'unreachable'],
    [new StatusError('Invalid', 'spec.replicas'), 'ManifestRejected', 'rejected'],
    [new Error('socket hang up'), 'PhysicalClusterUnreachable', 'unreachable'],
  ];
  for (const [err, reason, kind] of cases) {
    const e = classifyDeployError(err, 'applying X');
    assert.equal(e.reason, reason, String(err));
    assert.equal(e.kind, kind, String(err));
    assert.match(e.message, /^applying X: /);
  }
});

test('an unusable kubeconfig is InvalidKubeconfig', () => {
  assert.throws(() => new PhysicalClusterClient('not: [a kubeconfig'), (e: unknown) => e instanceof DeployError && e.reason === 'InvalidKubeconfig');
  assert.throws(() => new PhysicalClusterClient('apiVersion: v1\nkind: Config\n'), (e: unknown) => e instanceof DeployError && e.reason === 'InvalidKubeconfig');
});

test('paths: a real cluster at the root, a kplane stand-in under its /clusters path', () => {
  const kc = (server: string) => `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n`;
  const gvr = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
  assert.equal(new PhysicalClusterClient(kc('https://k8s:6443')).path(gvr, 'ns', 'd'), '/apis/apps/v1/namespaces/ns/deployments/d');
  assert.equal(new PhysicalClusterClient(kc('https://kp:6443/clusters/root')).path(gvr, 'ns', 'd'), '/clusters/root/apis/apps/v1/namespaces/ns/deployments/d');
});
