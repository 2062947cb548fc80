import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import winston from 'winston';
import { Controller, type ReconcileContext, sequentialIds } from './runner.ts';
import { type ErrorClass, ReconcileTimeoutError } from './errors.ts';
import type { Step, StepResult } from './tasks.ts';
import type { ControllerLogger } from './logger.ts';
import type { Result } from './result.ts';
import { RecordingLogger, settleUntil } from './testing.ts';
import { FakeClock, flushPromises } from '../clock/fake.ts';
import { RateLimitingQueue } from '../workqueue/rate-limiting-queue.ts';
import { ItemExponentialFailureRateLimiter } from '../workqueue/rate-limiters.ts';
import type { ControllerMetrics, ReconcileResultLabel } from './metrics-hooks.ts';

// Compile-time check: winston's Logger fits the controller's logger interface.
const _winstonFits: ControllerLogger = winston.createLogger({ silent: true });
void _winstonFits;

class RecordingMetrics implements ControllerMetrics {
  readonly totals = new Map<ReconcileResultLabel, number>();
  errors = 0;
  terminal = 0;
  timeouts = 0;
  maxActive = 0;
  maxConcurrent = 0;
  incReconcileTotal(_c: string, result: ReconcileResultLabel): void {
    this.totals.set(result, (this.totals.get(result) ?? 0) + 1);
  }
  incReconcileErrors(): void {
    this.errors++;
  }
  incTerminalReconcileErrors(): void {
    this.terminal++;
  }
  incReconcileTimeouts(): void {
    this.timeouts++;
  }
  observeReconcileTime(): void {}
  setActiveWorkers(_c: string, n: number): void {
    this.maxActive = Math.max(this.maxActive, n);
  }
  setMaxConcurrentReconciles(_c: string, n: number): void {
    this.maxConcurrent = n;
  }
}

type Handler = (key: string, ctx: ReconcileContext) => Promise<Result | void>;

function harness(handler: Handler, opts: { workers?: number; hasSynced?: () => boolean; timeoutMs?: number; classify?: (err: unknown) => ErrorClass } = {}) {
  const clock = new FakeClock();
  const queue = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000) });
  const logger = new RecordingLogger();
  const metrics = new RecordingMetrics();
  const calls: string[] = [];
  let ids = 0;
  const controller = new Controller<string>({
    name: 'test-controller',
    queue,
    logger,
    metrics,
    clock,
    workers: opts.workers ?? 1,
    hasSynced: opts.hasSynced ?? (() => true),
    reconcileTimeoutMs: opts.timeoutMs ?? 0,
    newReconcileId: () => `id${++ids}`,
    ...(opts.classify ? { classify: opts.classify } : {}),
    reconcile: (key, ctx) => {
      calls.push(key);
      return handler(key, ctx);
    },
  });
  const stop = new AbortController();
  const running = controller.run(stop.signal);
  return { clock, queue, logger, metrics, calls, controller, stop, running };
}

/** A promise the test resolves by hand, to hold a reconcile in flight. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Controller', () => {
  test('success: reconciled once, backoff forgotten', async () => {
    const h = harness(async () => {});
    h.queue.add('a');
    await settleUntil(() => h.metrics.totals.get('success') === 1, 'one success');
    assert.deepEqual(h.calls, ['a']);
    assert.equal(h.queue.numRequeues('a'), 0);
    h.stop.abort();
    await h.running;
  });

  test('error → rate-limited retries with growing delay, success → forget', async () => {
    let failuresLeft = 2;
    const h = harness(async () => {
      if (failuresLeft-- > 0) throw new Error('api unavailable');
    });
    h.queue.add('a');
    await settleUntil(() => h.calls.length === 1, 'first try');
    await settleUntil(() => h.queue.numRequeues('a') === 1, 'first failure recorded');
    h.clock.step(4);
    await flushPromises();
    assert.equal(h.calls.length, 1, 'not before the 5ms backoff');
    h.clock.step(1);
    await settleUntil(() => h.queue.numRequeues('a') === 2, 'second failure');
    h.clock.step(9);
    await flushPromises();
    assert.equal(h.calls.length, 2, 'second backoff is 10ms');
    h.clock.step(1);
    await settleUntil(() => h.metrics.totals.get('success') === 1, 'third try succeeds');
    assert.equal(h.queue.numRequeues('a'), 0);
    assert.equal(h.metrics.errors, 2);
    const errorLine = h.logger.lines.find((l) => l.level === 'error');
    assert.deepEqual(
      { message: errorLine?.message, error: String(errorLine?.meta.err).split('\n')[0], key: errorLine?.meta.key, id: errorLine?.meta.reconcileID },
      { message: 'Reconciler error, will retry', error: 'Error: api unavailable', key: 'a', id: 'id1' },
    );
    h.stop.abort();
    await h.running;
  });

  test('terminal error (per classify): not requeued, logged and counted', async () => {
    class InvalidSpec extends Error {}
    const h = harness(
      async () => {
        throw new InvalidSpec('spec.cluster is required');
      },
      { classify: (err) => (err instanceof InvalidSpec ? 'terminal' : 'transient') },
    );
    h.queue.add('a');
    await settleUntil(() => h.metrics.terminal === 1, 'terminal counted');
    h.clock.step(10_000_000);
    await flushPromises();
    assert.deepEqual(h.calls, ['a']);
    assert.equal(h.queue.waitingLen(), 0);
    assert.ok(h.logger.lines.some((l) => l.level === 'error' && l.message.includes('terminal')));
    h.stop.abort();
    await h.running;
  });

  test('requeueAfter: reconciled again exactly after the delay', async () => {
    const h = harness(async () => ({ requeueAfter: 42_000 }));
    h.queue.add('a');
    await settleUntil(() => h.calls.length === 1, 'first run');
    await flushPromises();
    h.clock.step(41_999);
    await flushPromises();
    assert.equal(h.calls.length, 1);
    h.clock.step(1);
    await settleUntil(() => h.calls.length === 2, 'requeued run');
    assert.equal(h.metrics.totals.get('requeue_after'), 2);
    h.stop.abort();
    await h.running;
  });

  test('returned { error } is handled like a thrown error', async () => {
    const h = harness(async () => ({ error: new Error('conflict') }));
    h.queue.add('a');
    await settleUntil(() => h.metrics.errors === 1, 'error counted');
    assert.equal(h.queue.numRequeues('a'), 1);
    h.stop.abort();
    await h.running;
  });

  test('N workers: different keys in parallel, the same key never twice at once', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    const inFlight = new Set<string>();
    let concurrent = 0;
    let maxConcurrent = 0;
    const h = harness(
      async (key) => {
        assert.ok(!inFlight.has(key), `${key} reconciled concurrently`);
        inFlight.add(key);
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        const gate = deferred();
        gates.set(key, gate);
        await gate.promise;
        inFlight.delete(key);
        concurrent--;
      },
      { workers: 3 },
    );
    h.queue.add('a');
    h.queue.add('b');
    await settleUntil(() => inFlight.size === 2, 'a and b in flight');
    h.queue.add('a'); // re-added while processing: must wait
    await flushPromises();
    assert.deepEqual(h.calls, ['a', 'b']);
    gates.get('a')?.resolve();
    await settleUntil(() => h.calls.length === 3, 'a again after done');
    assert.deepEqual(h.calls, ['a', 'b', 'a']);
    gates.get('a')?.resolve();
    gates.get('b')?.resolve();
    await settleUntil(() => inFlight.size === 0, 'all done');
    assert.equal(maxConcurrent, 2);
    assert.equal(h.metrics.maxConcurrent, 3);
    h.stop.abort();
    await h.running;
  });

  test('workers start only after caches have synced (polled on the clock)', async () => {
    let synced = false;
    const h = harness(async () => {}, { hasSynced: () => synced });
    h.queue.add('a');
    await flushPromises();
    h.clock.step(100);
    await flushPromises();
    assert.deepEqual(h.calls, []);
    synced = true;
    h.clock.step(100);
    await settleUntil(() => h.calls.length === 1, 'reconciled after sync');
    h.stop.abort();
    await h.running;
  });

  test('stop before caches sync: run resolves and the queue is shut down', async () => {
    const h = harness(async () => {}, { hasSynced: () => false });
    await flushPromises();
    h.stop.abort();
    await h.running;
    assert.equal(h.queue.shuttingDown(), true);
    assert.deepEqual(h.calls, []);
  });

  test('graceful stop: in-flight reconcile sees abort and is awaited; queued keys are dropped', async () => {
    const gate = deferred();
    let sawAbort = false;
    const h = harness(async (_key, ctx) => {
      ctx.signal.addEventListener('abort', () => (sawAbort = true));
      await gate.promise;
    });
    h.queue.add('a');
    await settleUntil(() => h.calls.length === 1, 'a in flight');
    h.queue.add('b');
    h.queue.add('c');
    let finished = false;
    void h.running.then(() => (finished = true));
    h.stop.abort();
    await settleUntil(() => sawAbort, 'reconcile signal aborted');
    await flushPromises();
    assert.equal(finished, false, 'run waits for the in-flight reconcile');
    gate.resolve();
    await h.running;
    assert.deepEqual(h.calls, ['a']);
    assert.equal(h.queue.len(), 0);
  });

  test('timeout: signal aborted with ReconcileTimeoutError, counted, retried', async () => {
    let reason: unknown;
    const h = harness(
      (_key, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            reason = ctx.signal.reason;
            reject(new Error('aborted'));
          });
        }),
      { timeoutMs: 30_000 },
    );
    h.queue.add('a');
    await settleUntil(() => h.calls.length === 1, 'in flight');
    h.clock.step(29_999);
    await flushPromises();
    assert.equal(h.metrics.timeouts, 0);
    h.clock.step(1);
    await settleUntil(() => h.metrics.errors === 1, 'timeout error handled');
    assert.ok(reason instanceof ReconcileTimeoutError);
    assert.equal(h.metrics.timeouts, 1);
    assert.equal(h.queue.numRequeues('a'), 1);
    const line = h.logger.lines.find((l) => l.level === 'error');
    assert.equal(line?.meta.errorType, 'ReconcileTimeoutError');
    h.stop.abort();
    await settleUntil(() => h.queue.shuttingDown(), 'stopping');
    await h.running;
  });

  test('each reconcile gets its own id in its log lines', async () => {
    const h = harness(async (_key, ctx) => {
      ctx.logger.info('working');
    });
    h.queue.add('a');
    h.queue.add('b');
    await settleUntil(() => h.metrics.totals.get('success') === 2, 'two reconciles');
    const working = h.logger.lines.filter((l) => l.message === 'working').map((l) => l.meta);
    assert.deepEqual(working, [
      { controller: 'test-controller', key: 'a', reconcileID: 'id1' },
      { controller: 'test-controller', key: 'b', reconcileID: 'id2' },
    ]);
    h.stop.abort();
    await h.running;
  });

  test('run twice is an error', async () => {
    const h = harness(async () => {});
    await assert.rejects(h.controller.run(new AbortController().signal), /already running/);
    h.stop.abort();
    await h.running;
  });
});

describe('Controller with a step pipeline', () => {
  test('runSteps summary drives the queue through toControllerResult', async () => {
    const { runSteps, retry, complete, toControllerResult } = await import('./tasks.ts');
    const step = (name: string, run: () => StepResult): Step<{ key: string }> => ({ name, run });
    let beats = 0;
    const h = harness(async (key, ctx) => {
      const summary = await runSteps([
        step('validate', () => complete()),
        step('heartbeat', () => (++beats < 2 ? retry(20_000, 'fresh beat') : complete())),
      ], { key });
      ctx.logger.info(summary.summaryLine);
      return toControllerResult(summary);
    });
    h.queue.add('st-1');
    await settleUntil(() => h.calls.length === 1, 'first reconcile');
    await flushPromises();
    h.clock.step(20_000);
    await settleUntil(() => h.calls.length === 2, 'requeued at the planned time');
    await settleUntil(() => h.metrics.totals.get('success') === 1, 'second succeeds');
    assert.deepEqual(
      h.logger.lines.filter((l) => l.level === 'info' && l.meta.key === 'st-1').map((l) => l.message),
      ['retry(20s) validate=ok heartbeat=retry(20s: fresh beat)', 'complete validate=ok heartbeat=ok'],
    );
    h.stop.abort();
    await h.running;
  });
});

describe('Controller resilience', () => {
  test('hasSynced throwing is logged and polled again', async () => {
    let polls = 0;
    const h = harness(async () => {}, {
      hasSynced: () => {
        if (++polls === 1) throw new Error('informer not started');
        return true;
      },
    });
    h.queue.add('a');
    await flushPromises();
    h.clock.step(100);
    await settleUntil(() => h.calls.length === 1, 'reconciled after the retry');
    assert.ok(h.logger.lines.some((l) => l.level === 'warn' && String(l.meta.err).split('\n')[0] === 'Error: informer not started'));
    h.stop.abort();
    await h.running;
  });
});

test('sequentialIds: a random prefix and a counter, never the same id twice from one source', () => {
  const next = sequentialIds();
  const ids = Array.from({ length: 100 }, () => next());
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[0-9a-f]{6}-[0-9a-z]+$/);
  assert.equal(new Set(ids.map((id) => id.split('-')[0])).size, 1);
});
