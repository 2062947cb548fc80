// Several `kplane start --storage etcd` replicas on one etcd: a write through one is visible
// through the other at once (get, list, watch); optimistic concurrency spans replicas (409);
// only the elected leader reconciles, and after the leader is SIGKILLed the other replica
// keeps serving and takes over the controllers (takeover time printed). A three-member etcd
// losing one member mid-load loses no acknowledged write.
//
// Needs a real etcd (/usr/bin/etcd or $ETCD_BIN): a missing binary FAILS, it never skips.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { startEtcd } from '../integration/storage/etcd-fixture.ts';
import { CM, condition, configMap, logged, type Obj, openWatch, ST, startReplicas, syncTarget } from './replicas-support.ts';

const SLOW = { timeoutMs: 90_000, intervalMs: 200 };
const THRESHOLD = '4s';

describe('replicas on one etcd', () => {
  test('two replicas: shared reads and watches, cross-replica 409, leader failover', async () => {
    await using etcd = await startEtcd();
    await using r = await startReplicas(etcd.endpoints, 2, ['--heartbeat-threshold', THRESHOLD]);
    const [kpA, kpB] = r.replicas as [(typeof r.replicas)[0], (typeof r.replicas)[0]];
    const [a, b] = r.clients as [(typeof r.clients)[0], (typeof r.clients)[0]];

    // --- a write through A is visible through B at once: watch, get, list.
    const listB = await b.get(CM);
    assert.equal(listB.status, 200, listB.text);
    const watchB = await openWatch(b, `${CM}?watch=1&resourceVersion=${listB.json.metadata.resourceVersion}`);
    const created = await a.post(CM, configMap('from-a', { k: 'v1' }));
    assert.equal(created.status, 201, created.text);
    const got = await b.get(`${CM}/from-a`);
    assert.equal(got.status, 200, `get through B right after the create through A: ${got.text}`);
    assert.equal(got.json.metadata.resourceVersion, created.json.metadata.resourceVersion);
    const listed = await b.get(CM);
    assert.ok((listed.json.items as Obj[]).some((i) => i.metadata.name === 'from-a'), 'list through B shows it');
    await eventually(() => [watchB.events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'from-a'), JSON.stringify(watchB.events)], {
      ...SLOW,
      what: 'ADDED on the watch through B',
    });

    // --- a stale update through B after a write through A → 409 Conflict.
    const stale = got.json;
    const fresh = await a.put(`${CM}/from-a`, { ...stale, data: { k: 'v2' } });
    assert.equal(fresh.status, 200, fresh.text);
    const conflict = await b.put(`${CM}/from-a`, { ...stale, data: { k: 'stale' } });
    assert.equal(conflict.status, 409, conflict.text);
    assert.equal(conflict.json.reason, 'Conflict');
    await eventually(() => [watchB.events.some((e) => e.type === 'MODIFIED' && e.object.data?.k === 'v2'), JSON.stringify(watchB.events.map((e) => e.type))], SLOW);
    assert.ok(!watchB.events.some((e) => e.object?.data?.k === 'stale'), 'the rejected write never reached a watcher');
    watchB.close();

    // --- exactly one leader: A, which started first.
    await eventually(() => [logged(kpA, 'became leader: starting controllers').length === 1, 'A not leading yet'], { ...SLOW, what: 'A leads' });
    assert.equal(logged(kpB, 'became leader: starting controllers').length, 0, 'B must not run controllers while A leads');
    const lease = await b.get('/clusters/root/apis/coordination.k8s.io/v1/namespaces/default/leases/kplane-controller-manager');
    assert.equal(lease.status, 200, lease.text);
    assert.match(String(lease.json.spec.holderIdentity), new RegExp(`_${kpA.process.pid}_`));

    // A reconciles a SyncTarget and sees its heartbeat.
    assert.equal((await a.post(ST, syncTarget('before'))).status, 201);
    const beat = () => b.patch(`${ST}/before/status`, { status: { lastSyncerHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } }, 'application/merge-patch+json');
    assert.equal((await beat()).status, 200);
    await eventually(async () => {
      const st = (await b.get(`${ST}/before`)).json;
      return [condition(st, 'HeartbeatHealthy')?.status === 'True', JSON.stringify(st.status?.conditions)];
    }, { ...SLOW, what: 'before: HeartbeatHealthy=True (A reconciles)' });

    // --- SIGKILL A: B keeps serving, and takes over the controllers.
    const killedAt = Date.now();
    await kpA.stop('SIGKILL');
    const afterKill = await b.get(`${CM}/from-a`);
    assert.equal(afterKill.status, 200, 'B serves right after A died');
    assert.equal(afterKill.json.data.k, 'v2');
    assert.equal((await b.post(ST, syncTarget('after'))).status, 201, 'B accepts writes right after A died');

    await eventually(() => [logged(kpB, 'became leader: starting controllers').length === 1, 'B not leading yet'], { ...SLOW, what: 'B takes over' });
    const takeoverMs = Date.now() - killedAt;
    console.log(`leader takeover after SIGKILL of the leader: ${(takeoverMs / 1000).toFixed(1)} s (lease 15 s, retry 2 s)`);

    // The SyncTarget created after the kill gets reconciled by B...
    await eventually(async () => {
      const st = (await b.get(`${ST}/after`)).json;
      return [condition(st, 'HeartbeatHealthy')?.reason === 'ErrorHeartbeat' && st.metadata.finalizers?.length > 0, JSON.stringify(st.status)];
    }, { ...SLOW, what: 'after: reconciled by B (no heartbeat yet)' });
    // ...and heartbeat monitoring continues: `before` went stale while nobody beat.
    await eventually(async () => {
      const st = (await b.get(`${ST}/before`)).json;
      return [condition(st, 'HeartbeatHealthy')?.status === 'False', JSON.stringify(st.status?.conditions)];
    }, { ...SLOW, what: 'before: HeartbeatHealthy=False (stale, seen by B)' });
    assert.equal((await beat()).status, 200);
    await eventually(async () => {
      const st = (await b.get(`${ST}/before`)).json;
      return [condition(st, 'HeartbeatHealthy')?.status === 'True', JSON.stringify(st.status?.conditions)];
    }, { ...SLOW, what: 'before: HeartbeatHealthy=True again after a fresh beat' });
    const leaseNow = (await b.get('/clusters/root/apis/coordination.k8s.io/v1/namespaces/default/leases/kplane-controller-manager')).json;
    assert.match(String(leaseNow.spec.holderIdentity), new RegExp(`_${kpB.process.pid}_`));
    assert.equal(leaseNow.spec.leaseTransitions, 1);
  });

  test('three-member etcd, one member killed mid-load: no acknowledged write is lost', async () => {
    await using etcd = await startEtcd({ members: 3 });
    await using r = await startReplicas(etcd.endpoints, 2, ['--controllers', '-']);
    const acknowledged = new Map<string, string>();
    let failed = 0;
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const client = r.clients[i % 2]!;
        const name = `load-${w}-${i}`;
        const value = `${w}/${i}`;
        try {
          const res = await client.post(CM, configMap(name, { v: value }));
          if (res.status === 201) acknowledged.set(name, value);
          else failed++;
        } catch {
          failed++; // a connection error is not an acknowledgement
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await eventually(() => [acknowledged.size >= 50, `${acknowledged.size} acknowledged`], { ...SLOW, what: 'load running' });
    await etcd.killMember(0);
    const atKill = acknowledged.size;
    await eventually(() => [acknowledged.size >= atKill + 100, `${acknowledged.size - atKill} acknowledged since the kill, ${failed} failed`], {
      ...SLOW,
      what: 'writes keep being acknowledged with one member down',
    });
    stop = true;
    await Promise.all(writers);
    console.log(`3-member etcd, member 0 killed mid-load: ${acknowledged.size} writes acknowledged (${atKill} before the kill), ${failed} failed`);

    for (const client of r.clients) {
      const list = await client.get(CM);
      assert.equal(list.status, 200, list.text);
      const stored = new Map((list.json.items as Obj[]).map((i) => [i.metadata.name as string, i.data?.v as string]));
      const lost = [...acknowledged].filter(([name, value]) => stored.get(name) !== value);
      assert.deepEqual(lost, [], `acknowledged writes missing through ${client.base}`);
    }
  });
});
