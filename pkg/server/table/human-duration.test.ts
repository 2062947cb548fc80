import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanAge, humanDuration } from './human-duration.ts';

test('matches apimachinery duration.HumanDuration', () => {
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h, y = 365 * d;
  const cases: Array<[number, string]> = [
    [-2 * s, '<invalid>'], [-1 * s + 1, '0s'], [-1500, '0s'], [0, '0s'], [5 * s, '5s'], [119 * s, '119s'],
    [2 * m, '2m'], [3 * m + 20 * s, '3m20s'], [9 * m + 59 * s, '9m59s'], [10 * m, '10m'], [179 * m, '179m'],
    [3 * h, '3h'], [5 * h + 3 * m, '5h3m'], [8 * h, '8h'], [47 * h, '47h'], [2 * d, '2d'], [2 * d + 5 * h, '2d5h'],
    [8 * d, '8d'], [400 * d, '400d'], [2 * y, '2y'], [2 * y + 3 * d, '2y3d'], [9 * y, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('humanAge parses RFC 3339 against an injected now', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  assert.equal(humanAge('2024-05-01T11:55:00Z', now), '5m');
  assert.equal(humanAge('2024-04-29T12:00:00Z', now), '2d');
  assert.equal(humanAge('garbage', now), '<unknown>');
});
