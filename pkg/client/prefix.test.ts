// A path prefix (the syncer view root) sits between the server and /clusters/… on every verb,
// whether it comes from the client options or from the kubeconfig's server URL.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ClusterClient } from './clusterclient.ts';
import { ConfigMapGVR, NamespaceGVR } from './gvr.ts';
import type { KubeObject } from './object.ts';
import { kubeconfigFor } from './testing-server.ts';
import { normalisePathPrefix, Transport } from './transport.ts';

const VIEW = '/services/syncer/root:org/edge-1/0b5d6c1e-uid';

/** A server answering every request with an empty object (a watch: one ADDED event) and recording method + path. */
async function recordingServer(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    res.setHeader('Content-Type', 'application/json');
    if ((req.url ?? '').includes('watch=true')) {
      res.end(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } })}\n`);
      return;
    }
    res.end(JSON.stringify({ kind: 'ConfigMapList', metadata: {}, items: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } };

async function exercise(client: ClusterClient): Promise<void> {
  const cms = client.cluster('root:org').resource(ConfigMapGVR, 'ns');
  await cms.get('a');
  await cms.list({ labelSelector: 'x=y' });
  await cms.patch('a', 'merge', { metadata: { labels: {} } });
  await cms.updateStatus(cm);
  for await (const _ev of client.wildcard().resource(NamespaceGVR).watch()) void _ev;
}

const EXPECTED = (base: string) => [
  `GET ${base}/clusters/root:org/api/v1/namespaces/ns/configmaps/a`,
  `GET ${base}/clusters/root:org/api/v1/namespaces/ns/configmaps?labelSelector=x%3Dy`,
  `PATCH ${base}/clusters/root:org/api/v1/namespaces/ns/configmaps/a?fieldManager=prefix-test`,
  `PUT ${base}/clusters/root:org/api/v1/namespaces/ns/configmaps/a/status?fieldManager=prefix-test`,
  `GET ${base}/clusters/*/api/v1/namespaces?watch=true`,
];

test('pathPrefix: every verb goes to <server><prefix>/clusters/<path>/…', async () => {
  const s = await recordingServer();
  const client = new ClusterClient(kubeconfigFor(s.url), { component: 'prefix-test', pathPrefix: VIEW });
  try {
    await exercise(client);
    assert.deepEqual(s.seen, EXPECTED(VIEW));
  } finally {
    client.close();
    s.server.close();
  }
});

test('pathPrefix replaces a kcp-style /clusters/<path> in the kubeconfig and follows a proxy path before it', async () => {
  const s = await recordingServer();
  const a = new ClusterClient(kubeconfigFor(`${s.url}/clusters/root:org`), { component: 'prefix-test', pathPrefix: `${VIEW}/` });
  const b = new ClusterClient(kubeconfigFor(`${s.url}/proxy/clusters/root`), { component: 'prefix-test', pathPrefix: VIEW });
  try {
    await a.cluster('root:org').resource(ConfigMapGVR, 'ns').get('a');
    await b.cluster('root:org').resource(ConfigMapGVR, 'ns').get('a');
    assert.deepEqual(s.seen, [
      `GET ${VIEW}/clusters/root:org/api/v1/namespaces/ns/configmaps/a`,
      `GET /proxy${VIEW}/clusters/root:org/api/v1/namespaces/ns/configmaps/a`,
    ]);
  } finally {
    a.close();
    b.close();
    s.server.close();
  }
});

test('a kubeconfig whose server URL already names the view needs no option', async () => {
  const s = await recordingServer();
  const client = new ClusterClient(kubeconfigFor(`${s.url}${VIEW}`), { component: 'prefix-test' });
  try {
    await exercise(client);
    assert.deepEqual(s.seen, EXPECTED(VIEW));
  } finally {
    client.close();
    s.server.close();
  }
});

test('without a prefix nothing changes', async () => {
  const s = await recordingServer();
  const client = new ClusterClient(kubeconfigFor(s.url), { component: 'prefix-test' });
  try {
    await exercise(client);
    assert.deepEqual(s.seen, EXPECTED(''));
  } finally {
    client.close();
    s.server.close();
  }
});

test('normalisePathPrefix: trims trailing slashes, rejects relative paths and queries', () => {
  assert.equal(normalisePathPrefix(undefined), '');
  assert.equal(normalisePathPrefix('/'), '');
  assert.equal(normalisePathPrefix('/a/b//'), '/a/b');
  assert.throws(() => normalisePathPrefix('services/syncer'), /must start with/);
  assert.throws(() => normalisePathPrefix('/a?x=1'), /path only/);
});

test('a ready Transport with pathPrefix is a caller bug, not a silently lost prefix', () => {
  const t = new Transport(kubeconfigFor('http://127.0.0.1:1'), { userAgent: 'x' });
  try {
    assert.throws(() => new ClusterClient(t, { component: 'x', pathPrefix: VIEW }), /pathPrefix/);
  } finally {
    t.close();
  }
});
