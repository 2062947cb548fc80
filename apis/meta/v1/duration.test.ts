import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DurationParseError, isDuration, parseDuration } from './duration.ts';

test('parses Go durations to milliseconds', () => {
  assert.equal(parseDuration('20s'), 20_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('300ms'), 300);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('-2m'), -120_000);
});

test('rejects what Go rejects', () => {
  for (const bad of ['', '20', 's', '1d', '1m 30s', '20S']) {
    assert.throws(() => parseDuration(bad), DurationParseError, bad);
    assert.equal(isDuration(bad), false);
  }
});
