import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMicroTime, MicroTimeSchema, normalizeMicroTime } from './time.ts';

test('normalizeMicroTime: UTC, exactly six fractional digits', () => {
  assert.equal(normalizeMicroTime('2024-03-01T10:00:00Z'), '2024-03-01T10:00:00.000000Z');
  assert.equal(normalizeMicroTime('2024-03-01T10:00:00.5Z'), '2024-03-01T10:00:00.500000Z');
  assert.equal(normalizeMicroTime('2024-03-01T10:00:00.123456Z'), '2024-03-01T10:00:00.123456Z');
  // Nanoseconds are cut, not rounded (Go's Truncate).
  assert.equal(normalizeMicroTime('2024-03-01T10:00:00.123456999Z'), '2024-03-01T10:00:00.123456Z');
  // Offsets move the clock, across midnight and a year boundary too.
  assert.equal(normalizeMicroTime('2024-03-01T10:00:00.25+02:00'), '2024-03-01T08:00:00.250000Z');
  assert.equal(normalizeMicroTime('2024-12-31T23:30:00-01:00'), '2025-01-01T00:30:00.000000Z');
  assert.equal(normalizeMicroTime('2024-03-01T00:15:00.000001+05:30'), '2024-02-29T18:45:00.000001Z');
});

test('MicroTimeSchema normalises on parse and is idempotent', () => {
  const once = MicroTimeSchema.parse('2024-03-01T10:00:00.1+01:00');
  assert.equal(once, '2024-03-01T09:00:00.100000Z');
  assert.equal(MicroTimeSchema.parse(once), once);
  assert.equal(MicroTimeSchema.safeParse('yesterday').success, false);
  const now = formatMicroTime(new Date());
  assert.equal(MicroTimeSchema.parse(now), now);
});
