import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncerViewURL } from './reconcile-identity.ts';

test('syncerViewURL: the syncer view root under kplane\'s URL', () => {
  assert.equal(syncerViewURL('https://127.0.0.1:6443', 'root:org', 'edge-1', 'u-1'), 'https://127.0.0.1:6443/services/syncer/root:org/edge-1/u-1');
  assert.equal(syncerViewURL('https://kplane.example.com/', 'root', 'e', 'u'), 'https://kplane.example.com/services/syncer/root/e/u');
  assert.equal(syncerViewURL('https://proxy.example.com/kplane/clusters/root:org', 'root:org', 'e', 'u'), 'https://proxy.example.com/kplane/services/syncer/root:org/e/u');
});
