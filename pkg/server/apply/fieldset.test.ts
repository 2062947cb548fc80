import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FieldSet } from './fieldset.ts';

const set = (...paths: string[][]) => FieldSet.fromPaths(paths);

test('intersects agrees with intersection().empty, from either side', () => {
  const owner = set(['f:status', 'f:phase'], ['f:status', 'f:conditions', 'k:{"type":"Ready"}', 'f:status'], ['f:metadata', 'f:labels', 'f:a']);
  const cases: FieldSet[] = [
    set(['f:status', 'f:phase']),
    set(['f:status', 'f:lastSyncerHeartbeatTime']),
    set(['f:status']),
    set(['f:status', 'f:conditions', 'k:{"type":"Ready"}', 'f:status']),
    set(['f:status', 'f:conditions', 'k:{"type":"Ready"}', 'f:reason']),
    set(['f:metadata', 'f:labels', 'f:b'], ['f:metadata', 'f:labels', 'f:a']),
    new FieldSet(),
  ];
  for (const other of cases) {
    const expected = !owner.intersection(other).empty;
    assert.equal(owner.intersects(other), expected, JSON.stringify(other.paths()));
    assert.equal(other.intersects(owner), expected, JSON.stringify(other.paths()));
  }
});

test('contains is true exactly when union adds no member', () => {
  const mine = set(['f:status', 'f:lastSyncerHeartbeatTime'], ['f:status', 'f:phase']);
  assert.equal(mine.contains(set(['f:status', 'f:lastSyncerHeartbeatTime'])), true);
  assert.equal(mine.contains(set(['f:status', 'f:phase'], ['f:status', 'f:lastSyncerHeartbeatTime'])), true);
  assert.equal(mine.contains(set(['f:status'])), false, 'the parent itself is not a member');
  assert.equal(mine.contains(set(['f:status', 'f:conditions'])), false);
  assert.equal(mine.contains(new FieldSet()), true);
  // A bare branch (no member below it) adds nothing.
  const bare = new FieldSet();
  bare.child('f:spec');
  assert.equal(mine.contains(bare), true);
  for (const other of [set(['f:status', 'f:phase']), set(['f:spec', 'f:x']), set(['f:status'])]) {
    const grown = mine.union(other);
    assert.equal(mine.contains(other), JSON.stringify(grown.paths()) === JSON.stringify(mine.paths()));
  }
});
