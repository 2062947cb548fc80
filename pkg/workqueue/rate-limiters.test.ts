import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './rate-limiters.ts';
import { FakeClock } from '../clock/fake.ts';

describe('ItemExponentialFailureRateLimiter', () => {
  test('doubles per failure per key, and forget resets', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>(1, 1000);
    assert.deepEqual([1, 2, 3, 4, 5].map(() => limiter.when('one')), [1, 2, 4, 8, 16]);
    assert.equal(limiter.numRequeues('one'), 5);
    assert.deepEqual([limiter.when('two'), limiter.when('two')], [1, 2]);
    assert.equal(limiter.numRequeues('two'), 2);
    limiter.forget('one');
    assert.equal(limiter.numRequeues('one'), 0);
    assert.equal(limiter.when('one'), 1);
  });

  test('caps at the maximum and survives overflow of 2^n', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>(1, 1000);
    for (let i = 0; i < 10; i++) limiter.when('k');
    assert.equal(limiter.when('k'), 1000); // 2^10 = 1024 > 1000
    for (let i = 0; i < 2000; i++) limiter.when('k');
    assert.equal(limiter.when('k'), 1000);
  });

  test('defaults are client-go’s: 5ms base, 1000s max', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>();
    assert.equal(limiter.baseDelayMs, 5);
    assert.equal(limiter.maxDelayMs, 1_000_000);
  });
});

describe('BucketRateLimiter', () => {
  test('burst is free, then tokens are borrowed at 1/qps each', () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter<string>(10, 3, clock);
    assert.deepEqual([0, 1, 2].map((i) => limiter.when(`k${i}`)), [0, 0, 0]);
    assert.equal(limiter.when('x'), 100);
    assert.equal(limiter.when('y'), 200);
    assert.equal(limiter.numRequeues('x'), 0);
  });

  test('refills with time, never above burst', () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter<string>(10, 2, clock);
    limiter.when('a');
    limiter.when('a');
    clock.step(100); // one token back
    assert.equal(limiter.when('a'), 0);
    clock.step(60_000); // refill saturates at 2
    assert.deepEqual([limiter.when('a'), limiter.when('a'), limiter.when('a')], [0, 0, 100]);
  });
});

describe('MaxOfRateLimiter and defaults', () => {
  test('the longest wait wins and every limiter records the failure', () => {
    const fast = new ItemExponentialFailureRateLimiter<string>(1, 1000);
    const slow = new ItemExponentialFailureRateLimiter<string>(10, 100);
    const limiter = new MaxOfRateLimiter<string>(fast, slow);
    assert.deepEqual([1, 2, 3, 4, 5].map(() => limiter.when('k')), [10, 20, 40, 80, 100]);
    assert.equal(fast.numRequeues('k'), 5);
    assert.equal(limiter.numRequeues('k'), 5);
    limiter.forget('k');
    assert.equal(fast.numRequeues('k'), 0);
    assert.equal(slow.numRequeues('k'), 0);
  });

  test('defaultControllerRateLimiter: per-key exponential until the bucket runs dry', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter<string>(clock);
    assert.equal(limiter.when('a'), 5);
    assert.equal(limiter.when('a'), 10);
    // 98 more distinct keys exhaust the burst of 100 (2 tokens used above).
    for (let i = 0; i < 98; i++) assert.equal(limiter.when(`k${i}`), 5);
    assert.equal(limiter.when('fresh'), 100); // bucket: 1 token at 10 qps
    assert.equal(limiter.numRequeues('a'), 2);
  });
});
