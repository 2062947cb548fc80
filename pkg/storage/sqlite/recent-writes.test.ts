import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentWrites } from './recent-writes.ts';

test('a key unwritten since the floor is current at any revision from the floor on', () => {
  const r = new RecentWrites(100, 4);
  assert.equal(r.isNewest('/a', 100), true);
  assert.equal(r.isNewest('/a', 99), undefined, 'older than what is held: ask the database');
  assert.equal(r.isNewest('/a', Number.NaN), undefined, 'not a revision: ask the database');
});

test('a key written lately is current only at its newest revision, deletes included', () => {
  const r = new RecentWrites(100, 4);
  r.record('/a', 101);
  r.record('/b', 102);
  r.record('/a', 103);
  assert.equal(r.isNewest('/a', 100), false);
  assert.equal(r.isNewest('/a', 101), false);
  assert.equal(r.isNewest('/a', 103), true);
  assert.equal(r.isNewest('/b', 102), true);
  assert.equal(r.isNewest('/c', 100), true);
});

test('dropping the oldest writes raises the floor; what is still held stays exact', () => {
  const r = new RecentWrites(0, 3);
  r.record('/a', 1);
  r.record('/b', 2);
  r.record('/a', 3);
  r.record('/c', 4); // drops /a@1: /a's newest (3) is still held
  assert.deepEqual(r.stats, { size: 3, floor: 1, keys: 3 });
  assert.equal(r.isNewest('/a', 1), false);
  assert.equal(r.isNewest('/a', 3), true);
  r.record('/d', 5); // drops /b@2, its newest: /b is forgotten
  assert.deepEqual(r.stats, { size: 3, floor: 2, keys: 3 });
  assert.equal(r.isNewest('/b', 2), true, '/b was not written after 2');
  assert.equal(r.isNewest('/b', 1), undefined);
  r.record('/e', 6); // drops /a@3
  assert.equal(r.isNewest('/a', 3), true);
  assert.equal(r.isNewest('/a', 2), undefined);
  assert.equal(r.stats.keys, 3);
});

test('a long stream keeps the map as small as the ring', () => {
  const r = new RecentWrites(0, 64);
  for (let rev = 1; rev <= 10_000; rev++) r.record(`/k${rev % 500}`, rev);
  assert.ok(r.stats.keys <= 64);
  assert.equal(r.stats.floor, 10_000 - 64);
  assert.equal(r.isNewest('/k0', 10_000), true);
  assert.equal(r.isNewest('/k0', 9_500), undefined, 'below the floor');
  assert.equal(r.isNewest('/k450', 9_950), true);
  r.record('/k450', 10_001);
  assert.equal(r.isNewest('/k450', 9_950), false);
  assert.throws(() => new RecentWrites(0, 0), RangeError);
});
