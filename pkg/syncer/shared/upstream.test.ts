import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { Transport } from '../../client/transport.ts';
import { kubeconfigWithPrefix } from './upstream.ts';

function kc(server: string): KubeConfig {
  const k = new KubeConfig();
  k.loadFromOptions({ clusters: [{ name: 'c', server, skipTLSVerify: true }], users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return k;
}

test('the view prefix replaces a kubeconfig\'s /clusters/<path> and keeps a base path', () => {
  const prefix = '/services/syncer/root:team/edge-1/uid-1';
  assert.equal(kubeconfigWithPrefix(kc('https://h:6443/clusters/root:team'), prefix).getCurrentCluster()?.server, `https://h:6443${prefix}`);
  assert.equal(kubeconfigWithPrefix(kc('https://h:6443/kplane/'), prefix).getCurrentCluster()?.server, `https://h:6443/kplane${prefix}`);
  // The transport then puts /clusters/<path|*> after the prefix.
  const t = new Transport(kubeconfigWithPrefix(kc('https://h:6443/clusters/root'), prefix), { userAgent: 'test' });
  assert.equal(t.baseURL.pathname, prefix);
  t.close();
  assert.equal(kubeconfigWithPrefix(kc('https://h:6443'), '').getCurrentCluster()?.server, 'https://h:6443');
});
