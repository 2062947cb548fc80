import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../apierrors/errors.ts';
import type { JsonPatchOp } from '../client/index.ts';
import type { KubeObject } from '../client/object.ts';
import { silentLogger } from '../log/logger.ts';
import { FakeSyncTargets, syncTarget } from './fake-synctargets.test-helper.ts';
import { HeartbeatLoop } from './heartbeat.ts';
import { HeartbeatLease, type LeaseAccess } from './lease.ts';
import { syncerIdentityNames } from './manifests/identity.ts';
import { virtualClock } from './testing.ts';

/** Leases as the server keeps them: apply creates or replaces, a JSON Patch tests the uid. */
class FakeLeases implements LeaseAccess {
  stored: KubeObject | undefined;
  readonly calls: string[] = [];
  private uids = 0;
  async apply(obj: KubeObject, opts: { fieldManager?: string; force?: boolean }): Promise<KubeObject> {
    this.calls.push(`apply ${opts.fieldManager} force=${opts.force}`);
    this.stored = { ...obj, metadata: { ...obj.metadata, uid: this.stored?.metadata.uid ?? `lease-${++this.uids}` } };
    return this.stored;
  }
  async patch(name: string, _type: 'json', ops: JsonPatchOp[]): Promise<KubeObject> {
    this.calls.push('patch');
    if (!this.stored || this.stored.metadata.name !== name) throw new StatusError('NotFound', `leases "${name}" not found`, undefined, 404);
    const test = ops.find((o) => o.op === 'test');
    if (test && test.op === 'test' && test.value !== this.stored.metadata.uid) throw new StatusError('Invalid', 'test failed', undefined, 422);
    const renew = ops.find((o) => o.path === '/spec/renewTime') as { value: string };
    this.stored = { ...this.stored, spec: { ...(this.stored.spec as object), renewTime: renew.value } };
    return this.stored;
  }
}

const T0 = Date.UTC(2026, 0, 1);

describe('HeartbeatLease', () => {
  test('the first renewal applies the whole Lease; later ones patch renewTime, guarded by its uid', async () => {
    const leases = new FakeLeases();
    const lease = new HeartbeatLease({ leases, syncTargetName: 'edge-1', syncTargetUid: 'u1', periodMs: 10_000, holder: 'pod-a' });
    const written = await lease.renew(new Date(T0));
    assert.deepEqual(leases.calls, ['apply kplane-syncer force=true']);
    assert.equal(written.metadata.uid, 'lease-1', 'the Lease as written');
    const names = syncerIdentityNames('edge-1', 'u1');
    assert.equal(leases.stored?.metadata.name, names.lease);
    assert.equal(leases.stored?.metadata.namespace, names.namespace);
    assert.deepEqual(leases.stored?.spec, { holderIdentity: 'pod-a', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' });
    assert.deepEqual(leases.stored?.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]), [['SyncTarget', 'edge-1', 'u1']]);
    assert.equal(leases.stored?.metadata.labels?.['app.kubernetes.io/name'], 'kplane-syncer');
    await lease.renew(new Date(T0 + 10_000));
    assert.deepEqual(leases.calls.slice(1), ['patch']);
    assert.equal((leases.stored?.spec as { renewTime: string }).renewTime, '2026-01-01T00:00:10.000000Z');
  });

  test('a Lease deleted or replaced meanwhile is applied afresh', async () => {
    const leases = new FakeLeases();
    const lease = new HeartbeatLease({ leases, syncTargetName: 'edge-1', syncTargetUid: 'u1', periodMs: 10_000 });
    await lease.renew(new Date(T0));
    leases.stored = undefined;
    await lease.renew(new Date(T0 + 10_000));
    assert.deepEqual(leases.calls, ['apply kplane-syncer force=true', 'patch', 'apply kplane-syncer force=true']);
    leases.stored = { ...leases.stored!, metadata: { ...leases.stored!.metadata, uid: 'someone-elses' } };
    await lease.renew(new Date(T0 + 20_000));
    assert.deepEqual(leases.calls.slice(3), ['patch', 'apply kplane-syncer force=true']);
  });

  test('other errors reach the caller (the heartbeat loop backs off)', async () => {
    const leases = new FakeLeases();
    leases.apply = async () => Promise.reject(new StatusError('Forbidden', 'leases is forbidden', undefined, 403));
    const lease = new HeartbeatLease({ leases, syncTargetName: 'edge-1', syncTargetUid: 'u1', periodMs: 10_000 });
    await assert.rejects(lease.renew(new Date(T0)), /forbidden/);
  });
});

describe('HeartbeatLoop with a Lease', () => {
  test('status is patched on the first beat, when something changes, and once per report period; every beat renews the Lease', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    const leases = new FakeLeases();
    const clock = virtualClock(T0);
    const lease = new HeartbeatLease({ leases, syncTargetName: 'edge-1', syncTargetUid: 'u1', periodMs: 20_000 });
    const hb = new HeartbeatLoop({ syncTargets: fake, name: 'edge-1', uid: 'u1', periodMs: 20_000, clock, logger: silentLogger(), lease, statusReportPeriodMs: 60_000 }, fake.obj!);
    const beatAt = async (ms: number) => {
      clock.step(ms - clock.now());
      assert.equal((await hb.beat()).ok, true);
    };
    await beatAt(T0);
    assert.equal(fake.patches.length, 1, 'the first beat reports status');
    assert.equal(fake.obj!.status?.lastSyncerHeartbeatTime, '2026-01-01T00:00:00Z');
    await beatAt(T0 + 20_000);
    await beatAt(T0 + 40_000);
    assert.equal(fake.patches.length, 1, 'renewals only');
    hb.setResources({ cpu: '4' }, { cpu: '4' });
    await beatAt(T0 + 50_000);
    assert.equal(fake.patches.length, 2, 'new capacity goes out with the next beat');
    assert.deepEqual(fake.obj!.status?.capacity, { cpu: '4' });
    await beatAt(T0 + 70_000);
    assert.equal(fake.patches.length, 2);
    await beatAt(T0 + 110_000);
    assert.equal(fake.patches.length, 3, 'a report period after the last status patch');
    assert.equal(leases.calls.length, 6, 'every beat renewed the Lease');
    assert.equal((leases.stored?.spec as { renewTime: string }).renewTime, '2026-01-01T00:01:50.000000Z');
  });

  test('a Lease the identity may not write (403) or cannot have (404): the beat goes out as a status patch', async () => {
    for (const refusal of [new StatusError('Forbidden', 'leases is forbidden', undefined, 403), new StatusError('NotFound', 'namespaces "default" not found', undefined, 404)]) {
      const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
      const leases = new FakeLeases();
      leases.apply = async () => Promise.reject(refusal);
      const clock = virtualClock(T0);
      const lease = new HeartbeatLease({ leases, syncTargetName: 'edge-1', syncTargetUid: 'u1', periodMs: 20_000 });
      const hb = new HeartbeatLoop({ syncTargets: fake, name: 'edge-1', uid: 'u1', periodMs: 20_000, clock, logger: silentLogger(), lease, random: () => 0.5 }, fake.obj!);
      assert.equal((await hb.beat()).ok, true);
      clock.step(20_000);
      assert.equal((await hb.beat()).ok, true);
      assert.equal(fake.patches.length, 2, `${refusal.code}: every beat patched status`);
      assert.equal(fake.obj!.status?.lastSyncerHeartbeatTime, '2026-01-01T00:00:20Z');
    }
  });

  test('any other failure to renew is a failed beat (backoff), with no status patch in its place', async () => {
    const fake = new FakeSyncTargets(syncTarget('edge-1', 'u1', {}));
    const leases = new FakeLeases();
    leases.apply = async () => Promise.reject(new StatusError('ServiceUnavailable', 'try later', undefined, 503));
    const clock = virtualClock(T0);
    const lease = new HeartbeatLease({ leases, syncTargetName: 'edge-1', syncTargetUid: 'u1', periodMs: 20_000 });
    const hb = new HeartbeatLoop({ syncTargets: fake, name: 'edge-1', uid: 'u1', periodMs: 20_000, clock, logger: silentLogger(), lease, random: () => 0.5 }, fake.obj!);
    const out = await hb.beat();
    assert.equal(out.ok, false);
    assert.equal(!out.ok && out.kind, 'transient');
    assert.equal(fake.patches.length, 0);
  });
});
