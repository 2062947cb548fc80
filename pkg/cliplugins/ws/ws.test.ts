import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import YAML from 'yaml';
import { CURRENT_CONTEXT, Kubeconfig, kubeconfigPath, PREVIOUS_CONTEXT } from './kubeconfig.ts';
import { resolveTarget, splitServer, WorkspacePathError } from './paths.ts';

describe('paths', () => {
  test('relative, absolute, parent, previous', () => {
    assert.deepEqual(resolveTarget('root:org', 'team'), { kind: 'path', path: 'root:org:team' });
    assert.deepEqual(resolveTarget('root:org', 'a:b'), { kind: 'path', path: 'root:org:a:b' });
    assert.deepEqual(resolveTarget('root:org', ':root:x'), { kind: 'path', path: 'root:x' });
    assert.deepEqual(resolveTarget('root:org', 'root:y'), { kind: 'path', path: 'root:y' });
    assert.deepEqual(resolveTarget('root:org', '..'), { kind: 'path', path: 'root' });
    assert.deepEqual(resolveTarget('root:org', '-'), { kind: 'previous' });
    assert.throws(() => resolveTarget('root', '..'), WorkspacePathError);
    assert.throws(() => resolveTarget('root', 'Bad_Name'), WorkspacePathError);
  });
  test('server URLs with and without the cluster prefix', () => {
    assert.deepEqual(splitServer('https://h:6443/clusters/root:a'), { base: 'https://h:6443', cluster: 'root:a' });
    assert.deepEqual(splitServer('https://h:6443'), { base: 'https://h:6443', cluster: 'root' });
    assert.deepEqual(splitServer('https://h/proxy/clusters/root/'), { base: 'https://h/proxy', cluster: 'root' });
  });
  test('kubeconfig path precedence', () => {
    assert.equal(kubeconfigPath('x', { KUBECONFIG: 'y' }), 'x');
    assert.equal(kubeconfigPath(undefined, { KUBECONFIG: `y${process.platform === 'win32' ? ';' : ':'}z` }), 'y');
    assert.equal(kubeconfigPath(undefined, { HOME: '/h' }), '/h/.kube/config');
  });
});

describe('kubeconfig editing', () => {
  test('switching writes current and previous contexts and keeps the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-test-'));
    const path = join(dir, 'config');
    writeFileSync(
      path,
      YAML.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'root', cluster: { server: 'https://h:1/clusters/root', 'certificate-authority-data': 'Q0E=' } }],
        users: [{ name: 'admin', user: { token: 't' } }],
        contexts: [{ name: 'root', context: { cluster: 'root', user: 'admin' } }],
        'current-context': 'root',
      }),
    );
    const kc = Kubeconfig.load(path);
    kc.switchTo('root:a');
    kc.save();
    const again = Kubeconfig.load(path);
    assert.equal(again.current().workspace, 'root:a');
    assert.equal(again.previous()?.workspace, 'root');
    again.switchTo('root:a:b');
    assert.equal(again.previous()?.workspace, 'root:a');
    const doc = YAML.parse(readFileSync(path, 'utf8'));
    assert.equal(doc['current-context'], CURRENT_CONTEXT);
    assert.equal(doc.clusters.find((c: { name: string }) => c.name === 'root').cluster.server, 'https://h:1/clusters/root');
    assert.equal(doc.clusters.find((c: { name: string }) => c.name === PREVIOUS_CONTEXT).cluster['certificate-authority-data'], 'Q0E=');
  });
});
