import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMicroTime, formatTime, MicroTimeSchema, normalizeMicroTime } from './time.ts';

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

test('formatTime: whole seconds in UTC, right when the second changes, for any order of dates', () => {
  const base = Date.UTC(2026, 11, 2, 9, 59, 59, 999);
  assert.equal(formatTime(new Date(base)), '2026-12-02T09:59:59Z');
  assert.equal(formatTime(new Date(base - 998)), '2026-12-02T09:59:59Z');
  assert.equal(formatTime(new Date(base + 1)), '2026-12-02T10:00:00Z');
  assert.equal(formatTime(new Date(base)), '2026-12-02T09:59:59Z');
  assert.equal(formatTime(new Date(0)), '1970-01-01T00:00:00Z');
  assert.equal(formatTime(new Date(-1)), '1969-12-31T23:59:59Z');
  assert.throws(() => formatTime(new Date(NaN)), RangeError);
  assert.equal(formatTime(new Date(-1)), '1969-12-31T23:59:59Z');
});
