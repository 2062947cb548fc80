import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncHealth } from './health.ts';

test('SyncHealth: unreachable wins over conflicts; conflicts are counted and named; True when clear', () => {
  const h = new SyncHealth();
  let changes = 0;
  h.onChange = () => changes++;
  assert.deepEqual(h.condition(), { type: 'ResourcesSynced', status: 'True', reason: 'Synced' });
  h.conflict('configmaps root|web/a', 'configmaps root/web/a: taken');
  h.conflict('configmaps root|web/a', 'configmaps root/web/a: taken');
  assert.equal(changes, 1, 'the same conflict twice is one change');
  assert.equal(h.condition().reason, 'DownstreamConflict');
  assert.match(h.condition().message ?? '', /^1 object\(s\) not synced: configmaps root\/web\/a: taken$/);
  h.downstreamFailed('connect ECONNREFUSED', Date.UTC(2026, 0, 1));
  h.downstreamFailed('connect ECONNREFUSED', Date.UTC(2026, 0, 1, 0, 1));
  assert.equal(changes, 2, 'only the first failure is a change');
  assert.equal(h.condition().reason, 'PhysicalClusterUnreachable');
  assert.match(h.condition().message ?? '', /since 2026-01-01T00:00:00Z: connect ECONNREFUSED/);
  h.downstreamOk();
  assert.equal(h.condition().reason, 'DownstreamConflict');
  h.resolved('configmaps root|web/a');
  assert.equal(h.condition().status, 'True');
  for (let i = 0; i < 7; i++) h.conflict(`k${i}`, `m${i}`);
  assert.match(h.condition().message ?? '', /^7 object\(s\) not synced: m0; m1; m2; m3; m4 \(and 2 more\)$/);
});
