// kplane-syncer reports the physical cluster's capacity: given --to-kubeconfig and no
// --capacity, it sums the Nodes' status.capacity and status.allocatable and writes them to its
// SyncTarget's status. The physical cluster is a small local server serving /api/v1/nodes (the
// kplane stand-in serves no Nodes).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { startKplane } from '../framework/kplane.ts';
import { startSyncer } from './syncer-support.ts';

const ST = '/apis/workload.kcp.io/v1alpha1/synctargets';

test('the syncer reports the physical cluster Nodes as capacity and allocatable', { timeout: 300_000 }, async () => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-capacity-'));
  let nodes = [{ status: { capacity: { cpu: '4', memory: '16Gi' }, allocatable: { cpu: '3500m', memory: '15Gi' } } }];
  const physical = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url?.startsWith('/api/v1/nodes')) res.end(JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', items: nodes }));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
    }
  });
  await new Promise<void>((r) => physical.listen(0, '127.0.0.1', r));
  try {
    const port = (physical.address() as { port: number }).port;
    const toKubeconfig = join(dir, 'physical.kubeconfig');
    writeFileSync(toKubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: p',
      `clusters: [{name: p, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: p, context: {cluster: p, user: u}}]',
    ].join('\n'));
    const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
    const created = await admin.post(`/clusters/root${ST}`, { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 'phys' }, spec: { cluster: 'phys', cells: { a: 'b' } } });
    assert.equal(created.status, 201, created.text);
    await using syncer = startSyncer([
      `--from-kubeconfig=${kp.kubeconfig}`, '--from-cluster=root', '--sync-target-name=phys', '--heartbeat-period=500ms',
      `--to-kubeconfig=${toKubeconfig}`, '--capacity-refresh-period=1s',
    ]);
    const statusOf = async () => (await admin.get(`/clusters/root${ST}/phys`)).json?.status ?? {};
    await eventually(async () => {
      const s = await statusOf();
      return [JSON.stringify(s.capacity) === JSON.stringify({ cpu: '4', memory: '16Gi' }) && JSON.stringify(s.allocatable) === JSON.stringify({ cpu: '3500m', memory: '15Gi' }), `${JSON.stringify(s)} ${syncer.stderr().slice(-500)}`];
    }, { timeoutMs: 60_000, what: 'capacity from one node' });
    // A second node joins: the next refresh reports the sums.
    nodes = [...nodes, { status: { capacity: { cpu: '4', memory: '16Gi' }, allocatable: { cpu: '3500m', memory: '15Gi' } } }];
    await eventually(async () => {
      const s = await statusOf();
      return [s.capacity?.cpu === '8' && s.capacity?.memory === '32Gi' && s.allocatable?.cpu === '7' && s.allocatable?.memory === '30Gi', JSON.stringify(s)];
    }, { timeoutMs: 60_000, what: 'capacity from two nodes' });
    assert.ok((await statusOf()).lastSyncerHeartbeatTime, 'heartbeats continue');
    assert.equal(await syncer.stop(), 0);
  } finally {
    physical.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
