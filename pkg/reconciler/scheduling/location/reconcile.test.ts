import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncTarget } from '../../../client/index.ts';
import { nextEviction } from './reconcile.ts';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const at = (evictAfter?: string): SyncTarget => ({ metadata: { name: 'a' }, spec: { cluster: 'a', ...(evictAfter ? { evictAfter } : {}) } });

test('the Location recount is requeued for the next spec.evictAfter still to come', () => {
  assert.equal(nextEviction([at('2026-06-01T00:00:30Z'), at('2026-06-01T00:00:10Z'), at('2026-05-31T00:00:00Z'), at()], T0), T0 + 10_000);
  assert.equal(nextEviction([at('2026-05-31T00:00:00Z'), at()], T0), undefined, 'passed or none: nothing to wait for');
});
