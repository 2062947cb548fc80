import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCells, schedulingPatch } from './prepare.ts';

test('cordon / uncordon / drain patches (kcp semantics)', () => {
  const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  assert.deepEqual(schedulingPatch('cordon', now), { spec: { unschedulable: true } });
  assert.deepEqual(schedulingPatch('uncordon', now), { spec: { unschedulable: false, evictAfter: null } });
  assert.deepEqual(schedulingPatch('drain', now), { spec: { evictAfter: '2026-01-02T03:04:05Z' } });
});

test('a new SyncTarget gets its own cell', () => {
  assert.deepEqual(defaultCells('phys-1'), { cluster: 'phys-1' });
});
