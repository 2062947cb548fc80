import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, medianResult, type WrkResult } from './heartbeat-wrk.ts';

test('median: odd and even counts, order does not matter, none is an error', () => {
  assert.equal(median([3]), 3);
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), RangeError);
});

test('medianResult: each figure its own median, requests, time and errors summed', () => {
  const r = (perSecond: number, p99Ms: number, errors = 0): WrkResult => ({ requests: perSecond * 8, durationS: 8, perSecond, p50Ms: p99Ms / 4, p99Ms, errors });
  const m = medianResult([r(3000, 40), r(5000, 18, 1), r(5200, 25)]);
  assert.equal(m.perSecond, 5000);
  assert.equal(m.p99Ms, 25, 'the p99 of the middle round by p99, not of the middle round by rate');
  assert.equal(m.p50Ms, 6.25);
  assert.equal(m.errors, 1);
  assert.equal(m.requests, (3000 + 5000 + 5200) * 8);
  assert.equal(m.durationS, 24);
});
