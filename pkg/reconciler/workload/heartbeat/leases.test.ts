import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../client/object.ts';
import type { SharedInformerFactory } from '../../../informer/factory.ts';
import { syncerIdentityNames } from '../../../syncer/manifests/identity.ts';
import { HeartbeatLease } from '../../../syncer/lease.ts';
import { listerOf, syncTarget } from '../synctarget/testing.ts';
import { HeartbeatLeaseCache, heartbeatLeaseForm, SYNCER_LEASE_SELECTOR } from './leases.ts';

const CLUSTER = { 'kcp.io/cluster': 'root:org' };

/** The Lease the syncer of `name`/`uid` writes (pkg/syncer/lease.ts), as the server stores it. */
function syncerLease(name: string, uid: string, renewTime = '2026-01-01T00:00:00.000000Z'): KubeObject {
  const lease = new HeartbeatLease({ leases: {} as never, syncTargetName: name, syncTargetUid: uid, periodMs: 20_000, holder: 'pod-1' }).desired(new Date(Date.parse(renewTime)));
  return { ...lease, metadata: { ...lease.metadata, uid: 'lease-uid', resourceVersion: '5', annotations: CLUSTER, managedFields: [{ manager: 'kplane-syncer' }] } };
}

function cacheOf(leases: KubeObject[]): { cache: HeartbeatLeaseCache; asked: unknown[] } {
  const asked: unknown[] = [];
  const factory = { forResource: (_gvr: unknown, selection: unknown) => (asked.push(selection), { lister: listerOf(leases.map((l) => heartbeatLeaseForm.apply(l))) }) } as unknown as SharedInformerFactory;
  return { cache: new HeartbeatLeaseCache(factory), asked };
}

test('the cache selects syncer Leases by label and keeps only identity, owner and renewTime', () => {
  const { asked } = cacheOf([]);
  assert.deepEqual(asked, [{ labelSelector: SYNCER_LEASE_SELECTOR, transform: heartbeatLeaseForm }]);
  const kept = heartbeatLeaseForm.apply(syncerLease('edge', 'uid-1'));
  assert.deepEqual(kept.spec, { renewTime: '2026-01-01T00:00:00.000000Z' });
  assert.equal(kept.metadata.labels, undefined);
  assert.equal(kept.metadata.managedFields, undefined);
  assert.equal(kept.metadata.ownerReferences?.[0]?.uid, 'uid-1');
  assert.deepEqual(kept.metadata.annotations, CLUSTER);
});

test('a SyncTarget\'s Lease is found by the name its name and uid give, never by what a Lease claims', () => {
  const mine = syncerLease('edge', 'uid-1');
  // Another syncer's Lease claiming to be edge's (a forged owner reference): its name is its own.
  const forged = syncerLease('other', 'uid-2');
  forged.metadata.ownerReferences = [{ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', name: 'edge', uid: 'uid-1' }];
  const { cache } = cacheOf([forged]);
  assert.equal(cache.leaseOf(syncTarget()), undefined);
  assert.equal(HeartbeatLeaseCache.ownerKey(forged), undefined, 'its name is not the one edge\'s name and uid give');
  const { cache: withMine } = cacheOf([mine]);
  assert.equal(withMine.leaseOf(syncTarget())?.spec?.renewTime, '2026-01-01T00:00:00.000000Z');
  assert.equal(HeartbeatLeaseCache.ownerKey(mine), 'root:org|edge');
  // A recreated SyncTarget (new uid) does not inherit the old syncer's Lease.
  assert.equal(withMine.leaseOf(syncTarget({ metadata: { name: 'edge', uid: 'uid-new', annotations: CLUSTER } })), undefined);
  // In another workspace, the same names are another Lease.
  assert.equal(withMine.leaseOf(syncTarget({}, 'root:elsewhere')), undefined);
  assert.equal(syncerIdentityNames('edge', 'uid-1').lease, mine.metadata.name);
});
