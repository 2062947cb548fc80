// The shared storage conformance suite, unchanged, against the etcd backend on a real
// etcd started for this file. Every test opens its own storage under its own key prefix,
// the way several kplane instances share one etcd.
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { runStorageConformance } from '../../../pkg/storage/conformance/suite.ts';
import { openEtcdStorage } from '../../../pkg/storage/etcd/index.ts';
import { startEtcd, type EtcdFixture } from './etcd-fixture.ts';

let etcd: EtcdFixture | undefined;

before(async () => {
  etcd = await startEtcd({ progressNotifyInterval: '250ms' });
});

after(async () => {
  await etcd?.stop();
});

runStorageConformance(
  'etcd',
  async () => {
    if (!etcd) throw new Error('etcd fixture did not start (see the before hook failure)');
    const prefix = `/conformance-${randomBytes(4).toString('hex')}`;
    const storage = await openEtcdStorage({ endpoints: etcd.endpoints, prefix, maxWatcherQueue: 1000 });
    return { storage, cleanup: async () => undefined };
  },
  { slowWatcherEvents: 1500, bookmarkTimeoutMs: 30_000 },
);
