import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectAllocator } from './allocator.ts';

test('jemalloc is recognised by its mapped shared object', () => {
  const maps = '7f00-7f10 r-xp 00000000 08:01 123 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n7f10-7f20 r--p 0 08:01 9 /usr/lib/x86_64-linux-gnu/libc.so.6\n';
  assert.equal(detectAllocator(() => maps), 'jemalloc');
});

test('without it the process runs on the system allocator', () => {
  assert.equal(detectAllocator(() => '7f10-7f20 r--p 0 08:01 9 /usr/lib/x86_64-linux-gnu/libc.so.6\n'), 'system');
});

test('a platform without /proc reports unknown instead of failing', () => {
  assert.equal(detectAllocator(() => { throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' }); }), 'unknown');
});

test('this test process: the answer matches what is mapped', () => {
  const expected = process.env.LD_PRELOAD?.includes('libjemalloc') ? 'jemalloc' : 'system';
  assert.equal(detectAllocator(), expected);
});
