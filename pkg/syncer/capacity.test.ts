import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCapacity } from './capacity.ts';

test('parses name=quantity pairs', () => {
  assert.deepEqual(parseCapacity('cpu=8,memory=32Gi'), { cpu: '8', memory: '32Gi' });
  assert.deepEqual(parseCapacity(' cpu=500m , nvidia.com/gpu=2 '), { cpu: '500m', 'nvidia.com/gpu': '2' });
});

test('rejects malformed or negative input', () => {
  assert.throws(() => parseCapacity('cpu'), /name=quantity/);
  assert.throws(() => parseCapacity('cpu=-1'), /non-negative quantity/);
  assert.throws(() => parseCapacity('cpu=8,cpu=9'), /twice/);
  assert.throws(() => parseCapacity(''), /empty/);
  assert.throws(() => parseCapacity('cpu=lots'), /quantity/);
});
