import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchEvent } from '../../storage/interface.ts';
import { EventRing } from './event-ring.ts';

const ev = (revision: number): WatchEvent => ({ type: 'ADDED', key: `/k/${revision}`, object: {}, revision });

test('keeps the newest events; windowStart moves to the last evicted revision', () => {
  const ring = new EventRing(3, 10);
  assert.equal(ring.windowStart, 10);
  for (const r of [11, 12, 13]) ring.push(ev(r));
  assert.deepEqual(ring.after(10).map((e) => e.revision), [11, 12, 13]);
  ring.push(ev(15));
  assert.equal(ring.windowStart, 11, 'everything after 11 is still held');
  assert.deepEqual(ring.after(11).map((e) => e.revision), [12, 13, 15]);
  assert.deepEqual(ring.after(13).map((e) => e.revision), [15]);
  assert.deepEqual(ring.after(14).map((e) => e.revision), [15]);
  assert.deepEqual(ring.after(15), []);
  assert.deepEqual(ring.after(99), []);
});

test('after() is exact across wrap-around for every start revision', () => {
  const ring = new EventRing(7, 0);
  for (let r = 1; r <= 40; r += 2) ring.push(ev(r));
  for (let from = ring.windowStart; from <= 42; from++) {
    const want = [];
    for (let r = 1; r <= 39; r += 2) if (r > from && r > ring.windowStart) want.push(r);
    assert.deepEqual(ring.after(from).map((e) => e.revision), want, `from ${from}`);
  }
});

test('reset forgets the events and restarts the window', () => {
  const ring = new EventRing(2, 0);
  ring.push(ev(1));
  ring.push(ev(2));
  ring.reset(9);
  assert.equal(ring.length, 0);
  assert.equal(ring.windowStart, 9);
  assert.deepEqual(ring.after(0), []);
});

test('a byte bound evicts the oldest events; the window start follows', () => {
  const sized = (revision: number, size: number): WatchEvent => ({ ...ev(revision), size });
  const ring = new EventRing(100, 0, 1000);
  for (let r = 1; r <= 10; r++) ring.push(sized(r, 300));
  assert.equal(ring.length, 3, 'only three 300-byte events fit in 1000 bytes');
  assert.equal(ring.byteSize, 900);
  assert.equal(ring.windowStart, 7);
  assert.deepEqual(ring.after(7).map((e) => e.revision), [8, 9, 10]);
  ring.push(sized(11, 5000));
  assert.equal(ring.length, 1, 'an event over the bound is still kept, alone');
  assert.equal(ring.windowStart, 10);
  ring.reset(20);
  assert.equal(ring.byteSize, 0);
});

test('dropOlderThan: events pushed before the cutoff go, oldest first, down to the number kept; the window follows', () => {
  const ring = new EventRing(10, 0);
  ring.push(ev(1), 1_000);
  ring.push(ev(2), 2_000);
  ring.push(ev(3), 3_000);
  ring.push(ev(4), 4_000);
  assert.equal(ring.dropOlderThan(2_500, 1), 2);
  assert.equal(ring.windowStart, 2, 'a resume from revision 1 is no longer replayable');
  assert.deepEqual(ring.after(2).map((e) => e.revision), [3, 4]);
  assert.equal(ring.dropOlderThan(10_000, 1), 1, 'the newest event is kept');
  assert.deepEqual(ring.after(0).map((e) => e.revision), [4]);
  assert.equal(ring.windowStart, 3);
  ring.push(ev(5), 11_000);
  assert.equal(ring.dropOlderThan(10_500, 0), 1);
  assert.deepEqual(ring.after(0).map((e) => e.revision), [5]);
});
