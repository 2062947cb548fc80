import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dominators, parseSnapshot } from './heap.ts';

// root(0) → a(1) → c(3); root → b(2) → c; c → d(4); a -weak-> e(5), which nothing else holds.
// c is held by a and b, so only the root dominates it; d is dominated by c; e is unreachable.
const meta = {
  node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
  node_types: [['synthetic', 'object']] as [string[]],
  edge_fields: ['type', 'name_or_index', 'to_node'],
  edge_types: [['property', 'weak']] as [string[]],
};
const strings = ['root', 'A', 'B', 'C', 'D', 'E', 'x'];
const node = (type: number, name: number, size: number, edges: number) => [type, name, name, size, edges];
const edge = (type: number, to: number) => [type, 6, to * 5];
const snapshot = {
  snapshot: { meta },
  nodes: [...node(0, 0, 0, 2), ...node(1, 1, 10, 2), ...node(1, 2, 20, 1), ...node(1, 3, 30, 1), ...node(1, 4, 40, 0), ...node(1, 5, 50, 0)],
  edges: [...edge(0, 1), ...edge(0, 2), ...edge(0, 3), ...edge(1, 5), ...edge(0, 3), ...edge(0, 4)],
  strings,
};

test('retained sizes follow immediate dominators over strong edges', () => {
  const g = parseSnapshot(snapshot);
  const { idom, retained } = dominators(g);
  assert.deepEqual([...idom], [0, 0, 0, 0, 3, -1]);
  assert.deepEqual([...retained], [100, 10, 20, 70, 40, 0]);
});
