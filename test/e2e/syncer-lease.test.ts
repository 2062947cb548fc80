// Heartbeats by Lease (KEP-589 for SyncTargets), end to end with real processes:
// `kplane workload sync --heartbeat-lease` renders a syncer that renews a coordination.k8s.io
// Lease; the SyncTarget stays Ready on renewals alone (its status heartbeat left untouched
// for longer than the threshold), a syncer's token reaches its own Lease and no other, the
// verdict turns False on time once renewals stop, and deleting the SyncTarget removes the Lease.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { syncerIdentityNames } from '../../pkg/syncer/manifests/identity.ts';
import { createWorkspace, SLOW } from './support.ts';
import { kubeconfigForWorkspace, kubeconfigFromManifests, parseManifests, runKplane, startSyncer, syncerArgsFromManifests, tokenOf } from './syncer-support.ts';

const THRESHOLD_S = 4;
const WS = '/clusters/root:team';
const ST = `${WS}/apis/workload.kcp.io/v1alpha1/synctargets`;
const LEASES = `${WS}/apis/coordination.k8s.io/v1/namespaces/default/leases`;
const APPLY = 'application/apply-patch+yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON
type Obj = any;
const cond = (st: Obj, type: string) => (st?.status?.conditions as { type: string; status: string; reason?: string; lastTransitionTime?: string }[] | undefined)?.find((c) => c.type === type);

test('syncer heartbeats by Lease', { timeout: 600_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--heartbeat-threshold', `${THRESHOLD_S}s`] });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-syncer-lease-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = new Kubectl(kp.kubeconfig);
  t.after(() => rmSync(root.cacheDir, { recursive: true, force: true }));
  const team = await createWorkspace(root, kp.url, dir, 'team');
  const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const getST = async (name: string): Promise<Obj> => (await admin.get(`${ST}/${name}`)).json;
  const kubeconfig = kubeconfigForWorkspace(kp.kubeconfig, kp.url, 'root:team', dir);

  /** `kplane workload sync NAME [--heartbeat-lease] -o`: the manifests, the syncer's kubeconfig and its args. */
  const prepare = async (name: string, lease = true) => {
    const out = join(dir, `${name}.yaml`);
    const r = await runKplane(['workload', 'sync', name, '--syncer-image', 'kplane-syncer:e2e', '--heartbeat-period', '1s', ...(lease ? ['--heartbeat-lease'] : []), '-o', out], { KUBECONFIG: kubeconfig });
    assert.equal(r.code, 0, r.stderr);
    const manifests = parseManifests(readFileSync(out, 'utf8'));
    const syncerKubeconfig = join(dir, `${name}.kubeconfig`);
    writeFileSync(syncerKubeconfig, kubeconfigFromManifests(manifests));
    const args = syncerArgsFromManifests(manifests, syncerKubeconfig);
    assert.equal(args.includes('--heartbeat-lease=true'), lease, `the rendered syncer beats by Lease only when asked: ${args.join(' ')}`);
    assert.equal((await getST(name)).spec.syncer?.heartbeatLease, lease ? true : undefined, 'and the SyncTarget says so');
    return { args, token: tokenOf(kubeconfigFromManifests(manifests)) };
  };

  const a = await prepare('edge-a');
  const b = await prepare('edge-b');
  // Status is reported on the first beat and then only after an hour: every later beat is a renewal.
  await using syncer = startSyncer([...a.args, '--status-report-period=1h']);
  await team.ok(['wait', '--for=condition=Ready', 'synctarget/edge-a', '--timeout=90s']);
  const first = await getST('edge-a');
  const leaseName = syncerIdentityNames('edge-a', first.metadata.uid).lease;

  await t.test('the Lease is the syncer\'s, owned by its SyncTarget, and renewed every period', async () => {
    const lease = (await admin.get(`${LEASES}/${leaseName}`)).json;
    assert.equal(lease.kind, 'Lease');
    assert.deepEqual(lease.metadata.ownerReferences.map((r: Obj) => [r.kind, r.name, r.uid]), [['SyncTarget', 'edge-a', first.metadata.uid]]);
    assert.equal(lease.spec.leaseDurationSeconds, 4);
    assert.ok(lease.metadata.managedFields.some((m: Obj) => m.manager === 'kplane-syncer' && m.operation === 'Apply'));
    const renewed = lease.spec.renewTime;
    await eventually(async () => {
      const now = (await admin.get(`${LEASES}/${leaseName}`)).json;
      return [now.spec.renewTime !== renewed, now.spec.renewTime];
    }, { ...SLOW, what: 'a renewal' });
    // kubectl shows it like any Lease.
    const holder = await team.ok(['get', 'lease', '-n', 'default', leaseName, '-o', 'jsonpath={.spec.holderIdentity}']);
    assert.equal(holder, lease.spec.holderIdentity);
  });

  await t.test('renewals alone keep the SyncTarget Ready: its status heartbeat stays as it was, past the threshold', async () => {
    const before = await getST('edge-a');
    const beatAt = before.status.lastSyncerHeartbeatTime;
    await sleep((THRESHOLD_S + 3) * 1000);
    const after = await getST('edge-a');
    assert.equal(after.status.lastSyncerHeartbeatTime, beatAt, 'no status beat meanwhile');
    assert.equal(cond(after, 'HeartbeatHealthy')?.status, 'True', JSON.stringify(after.status.conditions));
    assert.equal(cond(after, 'Ready')?.status, 'True');
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, 'the SyncTarget was not written at all');
  });

  await t.test('a syncer\'s token reaches its own Lease and no other', async () => {
    const asA = admin.withToken(a.token);
    const leaseB = syncerIdentityNames('edge-b', (await getST('edge-b')).metadata.uid).lease;
    const applied = (name: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'default' }, spec: { holderIdentity: 'intruder', renewTime: new Date().toISOString().replace('Z', '000Z') } });
    // edge-b's Lease, which its syncer (not running) has not created yet: creating it for b is refused.
    const create = await asA.patch(`${LEASES}/${leaseB}?fieldManager=intruder`, applied(leaseB), APPLY);
    assert.equal(create.status, 403, create.text);
    assert.equal((await admin.get(`${LEASES}/${leaseB}`)).status, 404, 'nothing was created');
    // So are a Lease of any other name, a list, a watch, and a plain create.
    assert.equal((await asA.patch(`${LEASES}/anything?fieldManager=intruder`, applied('anything'), APPLY)).status, 403);
    assert.equal((await asA.post(LEASES, applied('posted'))).status, 403);
    assert.equal((await asA.get(LEASES)).status, 403);
    assert.equal((await asA.get(`${LEASES}?watch=true`)).status, 403);
    assert.equal((await asA.delete(`${LEASES}/${leaseName}`)).status, 403, 'not even its own Lease can be deleted');
    // edge-b's syncer token cannot renew edge-a's Lease either (beating for another target).
    const renewA = await admin.withToken(b.token).patch(`${LEASES}/${leaseName}`, [{ op: 'replace', path: '/spec/renewTime', value: '2030-01-01T00:00:00.000000Z' }], 'application/json-patch+json');
    assert.equal(renewA.status, 403, renewA.text);
    // Its own Lease it may read.
    assert.equal((await asA.get(`${LEASES}/${leaseName}`)).status, 200);
  });

  await t.test('when renewals stop, HeartbeatHealthy turns False after the threshold, not before', async () => {
    assert.equal(await syncer.stop(), 0);
    const lastRenewal = Date.parse((await admin.get(`${LEASES}/${leaseName}`)).json.spec.renewTime);
    await eventually(async () => {
      const now = await getST('edge-a');
      return [cond(now, 'HeartbeatHealthy')?.status === 'False', JSON.stringify(now.status.conditions)];
    }, { ...SLOW, what: 'HeartbeatHealthy=False' });
    const down = await getST('edge-a');
    const flipped = Date.parse(cond(down, 'HeartbeatHealthy')!.lastTransitionTime!);
    // lastTransitionTime has whole seconds (±1 s); the hard bound is loose for a busy CI machine.
    const delayS = (flipped - lastRenewal) / 1000;
    t.diagnostic(`HeartbeatHealthy=False ${delayS}s after the last renewal (threshold ${THRESHOLD_S}s)`);
    assert.ok(delayS >= THRESHOLD_S - 1, `not before the threshold: ${delayS}s`);
    assert.ok(delayS <= THRESHOLD_S + 10, `soon after the threshold: ${delayS}s`);
    assert.equal(cond(down, 'Ready')?.status, 'False');
    const message = (down.status.conditions as Obj[]).find((c) => c.type === 'HeartbeatHealthy')?.message;
    assert.match(String(message), /^No heartbeat since \S+\.\d{6}Z$/, 'the last renewal is the beat it names');
  });

  await t.test('a SyncTarget that does not ask for Lease heartbeats grants no Lease: such a syncer beats by status instead', async () => {
    const c = await prepare('edge-c', false);
    await using plain = startSyncer([...c.args, '--heartbeat-lease=true']);
    await team.ok(['wait', '--for=condition=Ready', 'synctarget/edge-c', '--timeout=90s']);
    const leaseC = syncerIdentityNames('edge-c', (await getST('edge-c')).metadata.uid).lease;
    const beat0 = (await getST('edge-c')).status.lastSyncerHeartbeatTime;
    await eventually(async () => [(await getST('edge-c')).status.lastSyncerHeartbeatTime !== beat0, 'status beats'], { ...SLOW, what: 'a second status beat' });
    assert.equal((await admin.get(`${LEASES}/${leaseC}`)).status, 404, 'no Lease');
    assert.equal(plain.count(/cannot renew the heartbeat Lease; beating by status patch instead/), 1, 'said once');
    assert.equal(await plain.stop(), 0);
  });

  await t.test('deleting the SyncTarget removes its Lease with the rest of the identity', async () => {
    await team.ok(['delete', 'synctarget', 'edge-a', '--timeout=90s']);
    assert.equal((await admin.get(`${LEASES}/${leaseName}`)).status, 404);
  });
});
