import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { formatQuantity, PhysicalCapacityReader, sumNodes } from './physical-capacity.ts';

test('formatQuantity', () => {
  assert.equal(formatQuantity(8), '8');
  assert.equal(formatQuantity(1.5), '1500m');
  assert.equal(formatQuantity(32 * 1024 ** 3), '32Gi');
  assert.equal(formatQuantity(1536 * 1024), '1536Ki');
  assert.equal(formatQuantity(1000), '1000');
});

test('sumNodes adds capacity and allocatable per resource, skipping malformed entries', () => {
  const r = sumNodes({
    items: [
      { status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' }, allocatable: { cpu: '3800m', memory: '15Gi', pods: '110' } } },
      { status: { capacity: { cpu: '4', memory: '16Gi', pods: '110', 'example.com/gpu': 'bogus' }, allocatable: { cpu: '3800m', memory: '15Gi', pods: '110' } } },
      {},
    ],
  });
  assert.deepEqual(r.capacity, { cpu: '8', memory: '32Gi', pods: '220' });
  assert.deepEqual(r.allocatable, { cpu: '7600m', memory: '30Gi', pods: '220' });
});

test('PhysicalCapacityReader reads /api/v1/nodes with the kubeconfig', async () => {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/v1/nodes') && req.headers.authorization === 'Bearer phys') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ kind: 'NodeList', items: [{ status: { capacity: { cpu: '2' }, allocatable: { cpu: '1500m' } } }] }));
      return;
    }
    res.statusCode = 401;
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node refuses plain http unless TLS verification is explicitly off.
    clusters: [{ name: 'p', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'phys' }],
    contexts: [{ name: 'c', cluster: 'p', user: 'u' }],
    currentContext: 'c',
  });
  const reader = new PhysicalCapacityReader(kc);
  try {
    assert.deepEqual(await reader.read(), { capacity: { cpu: '2' }, allocatable: { cpu: '1500m' } });
  } finally {
    reader.close();
    server.close();
  }
});
