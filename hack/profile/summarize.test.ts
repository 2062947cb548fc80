import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calleesOf, callersOf, type CpuProfile, folderOf, summarize } from './summarize.ts';

// root → main → (a → leaf, b → leaf); plus idle. Each sample weighs its next time delta.
const frame = (functionName: string, url = 'file:///x/pkg/server/f.ts', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0 });
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 6] },
    { id: 2, callFrame: frame('main'), children: [3, 4] },
    { id: 3, callFrame: frame('a', 'file:///x/pkg/storage/s.ts', 1), children: [5] },
    { id: 4, callFrame: frame('b', 'file:///x/pkg/storage/s.ts', 2), children: [7] },
    { id: 5, callFrame: frame('leaf', 'node:internal/x', 3) },
    { id: 6, callFrame: frame('(idle)', '') },
    { id: 7, callFrame: frame('leaf', 'node:internal/x', 3) },
  ],
  startTime: 0,
  endTime: 60,
  samples: [5, 5, 7, 2, 6, 6],
  timeDeltas: [0, 10, 10, 10, 10, 10],
};

test('self and inclusive time per function; idle kept out', () => {
  const s = summarize(profile);
  assert.equal(s.idleUs, 20);
  const fn = new Map(s.functions.map((r) => [r.key.split(' ')[0], r]));
  assert.equal(fn.get('leaf')?.selfUs, 30);
  assert.equal(fn.get('main')?.selfUs, 10);
  assert.equal(fn.get('main')?.totalUs, 40);
  assert.equal(fn.get('a')?.totalUs, 20);
  assert.equal(fn.get('b')?.totalUs, 10);
  assert.equal(fn.get('(idle)'), undefined);
});

test('callers split a function by who called it', () => {
  const rows = callersOf(profile, 'leaf');
  const by = new Map(rows.map((r) => [r.key.split(' ')[0], r.totalUs]));
  assert.deepEqual([...by.entries()].sort(), [
    ['a', 20],
    ['b', 10],
  ]);
});

test('callees split a function by what it called, its own time as (self)', () => {
  const rows = calleesOf(profile, 'main');
  const by = new Map(rows.map((r) => [r.key.split(' ')[0], r.totalUs]));
  assert.deepEqual([...by.entries()].sort(), [
    ['(self)', 10],
    ['a', 20],
    ['b', 10],
  ]);
});

test('folders: node_modules package, pkg area, node:internal', () => {
  assert.equal(folderOf('node_modules/zod/v4/core/schemas.js'), 'node_modules/zod');
  assert.equal(folderOf('node_modules/@inversifyjs/core/lib/index.js'), 'node_modules/@inversifyjs/core');
  assert.equal(folderOf('pkg/server/apply/walk.ts'), 'pkg/server/apply');
  assert.equal(folderOf('node:internal/streams/readable'), 'node:internal/streams');
});
