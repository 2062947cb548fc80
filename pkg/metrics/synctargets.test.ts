import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncTarget } from '../client/types.ts';
import { newMetricsRegistry } from './registry.ts';
import { registerSyncTargetMetrics } from './synctargets.ts';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const target = (name: string, beat?: string): SyncTarget => ({ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name }, status: beat ? { lastSyncerHeartbeatTime: beat } : {} });

test('heartbeat age: a beat by Lease counts as the last beat when the source knows of Leases', async () => {
  // Status says 5 minutes ago (a Lease syncer reports status rarely), the Lease 3 s ago.
  const targets = [target('by-lease', '2026-01-01T00:05:00Z'), target('by-status', '2026-01-01T00:09:58Z'), target('never')];
  const leases: Record<string, string> = { 'by-lease': '2026-01-01T00:09:57.000000Z' };
  const withLeases = newMetricsRegistry({ processMetrics: false });
  registerSyncTargetMetrics(withLeases, () => ({ list: () => targets, lastHeartbeat: (st) => leases[st.metadata.name ?? ''] ?? st.status?.lastSyncerHeartbeatTime }), () => NOW);
  const text = await withLeases.metrics();
  assert.match(text, /^kplane_synctarget_heartbeat_age_seconds_bucket\{le="5"\} 2$/m, 'both beat within 5 s');
  assert.match(text, /^kplane_synctargets_without_heartbeat 1$/m);
  // Without the hook only status counts: the Lease syncer looks 300 s old.
  const statusOnly = newMetricsRegistry({ processMetrics: false });
  registerSyncTargetMetrics(statusOnly, () => ({ list: () => targets }), () => NOW);
  assert.match(await statusOnly.metrics(), /^kplane_synctarget_heartbeat_age_seconds_bucket\{le="5"\} 1$/m);
});
