import { startKplane } from '../bench/fixture.ts';
import { ClusterClient } from '../../pkg/client/index.ts';
import { findWrk, runWrk, writeLeaseScript } from '../bench/heartbeat-wrk.ts';
import { HeartbeatLease, SYNCER_LEASE_FIELD_MANAGER } from '../../pkg/syncer/lease.ts';
const kp = await startKplane({ args: ['--controllers', '-'], nodeArgs: ['--cpu-prof', '--cpu-prof-dir=/tmp/prof8'] });
const c = ClusterClient.fromFile(kp.kubeconfig, { component: 'prof' });
const leases = [];
for (let i = 0; i < 200; i++) {
  const st = await c.cluster('root').syncTargets().create({ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: `bench-${i}` }, spec: { cluster: `p-${i}` } } as never);
  const r = new HeartbeatLease({ leases: {} as never, syncTargetName: `bench-${i}`, syncTargetUid: st.metadata.uid!, periodMs: 10000, holder: 'x' });
  const l = await c.cluster('root').leases('default').apply(r.desired(new Date()), { fieldManager: SYNCER_LEASE_FIELD_MANAGER, force: true });
  leases.push({ namespace: 'default', name: r.name, uid: l.metadata.uid! });
}
c.close();
const script = writeLeaseScript(kp.rootDir, kp.adminToken, 'root', leases);
const wrk = findWrk()!;
await runWrk(wrk, kp.url, script, 2);
const r = await runWrk(wrk, kp.url, script, Number(process.env.DUR ?? 15));
console.log(JSON.stringify(r));
await kp.stop();
