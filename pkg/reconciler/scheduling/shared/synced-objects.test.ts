// The synced-type caches: created for served namespaced types some SyncTarget accepts, metadata
// only, once per type, kept when the type stops being accepted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterClient } from '../../../client/clusterclient.ts';
import type { GVR } from '../../../client/gvr.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { SharedInformerFactory } from '../../../informer/factory.ts';
import type { Logger } from '../../../log/logger.ts';
import { SYNC_KEY_INDEX } from './leaving.ts';
import { SyncedObjects } from './synced-objects.ts';

function factory(): SharedInformerFactory {
  // Informers are only constructed here, never started: the client is asked for nothing but its GVR.
  const clusterClient = { wildcard: () => ({ resource: (gvr: GVR) => ({ gvr }) }) } as unknown as ClusterClient;
  return new SharedInformerFactory({ clusterClient, logger: {} as Logger });
}

const st = (accepted: string[], incompatible: string[] = []): SyncTarget => ({
  metadata: { name: 'a' },
  spec: { cluster: 'a' },
  status: { syncedResources: [
    ...accepted.map((r) => ({ ...(r.includes('.') ? { group: r.split('.').slice(1).join('.'), resource: r.split('.')[0]! } : { resource: r }), state: 'Accepted' as const })),
    ...incompatible.map((resource) => ({ resource, state: 'Incompatible' as const })),
  ] },
});

test('ensure caches each accepted served type once, metadata-only and indexed by key; never drops one', () => {
  const f = factory();
  const synced = new SyncedObjects(f, {});
  synced.ensure([st(['secrets', 'services', 'deployments.apps'], ['configmaps'])]);
  assert.deepEqual(synced.types().map((t) => t.gvr.resource).sort(), ['deployments', 'secrets'], 'services are not served; configmaps not accepted');
  const secrets = synced.types().find((t) => t.gvr.resource === 'secrets')!;
  assert.ok(secrets.informer.indexer.hasIndex(SYNC_KEY_INDEX));
  assert.equal(f.forResource(secrets.gvr, { metadataOnly: true }), secrets.informer, 'the factory\'s shared metadata-only informer');
  assert.notEqual(f.forResource(secrets.gvr), secrets.informer, 'not the whole-object one');
  // A second consumer shares the informer (the index is not added twice); a type no longer accepted stays.
  const other = new SyncedObjects(f, {});
  other.ensure([st(['secrets'])]);
  assert.equal(other.types()[0]!.informer, secrets.informer);
  synced.ensure([st([])]);
  assert.equal(synced.types().length, 2);
  assert.equal(synced.hasSynced(), false, 'nothing listed yet');
});
