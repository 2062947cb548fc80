import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitingQueue } from './rate-limiting-queue.ts';
import { ItemExponentialFailureRateLimiter } from './rate-limiters.ts';
import { FakeClock } from '../clock/fake.ts';

describe('RateLimitingQueue', () => {
  test('addRateLimited waits per the limiter; forget resets; numRequeues counts', () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(1, 1000) });
    q.addRateLimited('one');
    assert.equal(q.waitingLen(), 1);
    q.addRateLimited('one'); // 2ms, later than the pending 1ms: cannot postpone
    assert.equal(q.waitingLen(), 1);
    q.addRateLimited('two');
    assert.equal(q.numRequeues('one'), 2);
    assert.equal(q.numRequeues('two'), 1);
    clock.step(1);
    assert.equal(q.len(), 2);
    q.forget('one');
    assert.equal(q.numRequeues('one'), 0);
    assert.equal(q.numRequeues('two'), 1);
    q.shutDown();
  });

  test('defaults to client-go’s controller limiter (5ms first retry)', () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    q.addRateLimited('k');
    clock.step(4);
    assert.equal(q.len(), 0);
    clock.step(1);
    assert.equal(q.len(), 1);
    q.shutDown();
  });
});
