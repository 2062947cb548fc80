// Package conformance is the one behaviour suite every storage.Storage backend must pass
// (SQLite now, etcd later, unchanged). It tests only the interface: keys are unique per
// test, so a backend shared between tests (one etcd cluster) is fine.
//
//   runStorageConformance('sqlite', async () => ({ storage, cleanup }), { slowWatcherEvents: 1500 });
import { describe } from 'node:test';
import { describeCompaction } from './compaction.ts';
import { describeConcurrency } from './concurrency.ts';
import { describeCrud } from './crud.ts';
import type { ConformanceOptions, StorageFactory } from './helpers.ts';
import { describeLifecycle } from './lifecycle.ts';
import { describeList } from './list.ts';
import { describeWatch } from './watch.ts';

export type { ConformanceOptions, StorageFactory, StorageFixture } from './helpers.ts';

export function runStorageConformance(name: string, factory: StorageFactory, options: ConformanceOptions = {}): void {
  describe(`storage conformance: ${name}`, () => {
    describeCrud(factory);
    describeList(factory);
    describeWatch(factory, options);
    describeCompaction(factory);
    describeConcurrency(factory);
    describeLifecycle(factory);
  });
}
