import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from './duration.ts';

test('go durations', () => {
  assert.equal(parseDuration('60s'), 60_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('0'), 0);
  for (const bad of ['', '60', 's', '-1s', '1x', '1s ', 'abc']) assert.equal(parseDuration(bad), undefined, bad);
  assert.equal(formatDuration(60_000), '1m');
  assert.equal(formatDuration(20_000), '20s');
});
