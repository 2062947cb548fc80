import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { finishReconcile } from './result.ts';
import { TransientError } from './errors.ts';
import type { RateLimitingWorkQueue } from '../workqueue/types.ts';

/** A queue literal that records the calls finishReconcile makes. */
function recordingQueue(): { calls: string[]; queue: RateLimitingWorkQueue<string> } {
  const calls: string[] = [];
  const queue: RateLimitingWorkQueue<string> = {
    add: (k) => void calls.push(`add ${k}`),
    addAfter: (k, ms) => void calls.push(`addAfter ${k} ${ms}`),
    addRateLimited: (k) => void calls.push(`addRateLimited ${k}`),
    forget: (k) => void calls.push(`forget ${k}`),
    done: (k) => void calls.push(`done ${k}`),
    numRequeues: () => 0,
    len: () => 0,
    get: () => Promise.resolve({ key: undefined, shutdown: true }),
    shutDown: () => {},
    shutDownWithDrain: () => Promise.resolve(),
    shuttingDown: () => false,
  };
  return { calls, queue };
}

describe('finishReconcile', () => {
  const cases: [string, Parameters<typeof finishReconcile<string>>[2], string, string[]][] = [
    ['success (void)', { returned: undefined }, 'success', ['forget k', 'done k']],
    ['success ({})', { returned: {} }, 'success', ['forget k', 'done k']],
    ['thrown error', { threw: new Error('boom') }, 'error', ['addRateLimited k', 'done k']],
    ['thrown transient', { threw: new TransientError('503') }, 'error', ['addRateLimited k', 'done k']],
    ['returned error', { returned: { error: new Error('x') } }, 'error', ['addRateLimited k', 'done k']],
    ['thrown non-Error', { threw: 'just a string' }, 'error', ['addRateLimited k', 'done k']],
    ['requeueAfter', { returned: { requeueAfter: 42_000 } }, 'requeue_after', ['forget k', 'addAfter k 42000', 'done k']],
    ['requeueAfter 0 is success', { returned: { requeueAfter: 0 } }, 'success', ['forget k', 'done k']],
    ['error wins over requeueAfter', { returned: { requeueAfter: 5, error: new Error('x') } }, 'error', ['addRateLimited k', 'done k']],
    ['requeue: true', { returned: { requeue: true } }, 'requeue', ['addRateLimited k', 'done k']],
  ];
  for (const [name, outcome, label, calls] of cases) {
    test(name, () => {
      const q = recordingQueue();
      const disposition = finishReconcile(q.queue, 'k', outcome);
      assert.equal(disposition.label, label);
      assert.deepEqual(q.calls, calls);
    });
  }

  test('a custom classify can make any error terminal', () => {
    const q = recordingQueue();
    const d = finishReconcile(q.queue, 'k', { threw: new Error('invalid') }, () => 'terminal');
    assert.equal(d.label, 'terminal_error');
    assert.deepEqual(q.calls, ['forget k', 'done k']);
  });

  test('done is called even if the queue throws on the way', () => {
    const q = recordingQueue();
    q.queue.addRateLimited = () => {
      throw new Error('limiter broke');
    };
    assert.throws(() => finishReconcile(q.queue, 'k', { threw: new Error('x') }));
    assert.deepEqual(q.calls, ['done k']);
  });
});
