import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  complete,
  fail,
  nonBlocking,
  retry,
  runSteps,
  toControllerResult,
  wait,
  type Step,
  type StepResult,
} from './tasks.ts';
import { formatDuration } from './duration.ts';
import { FakeClock } from '../clock/fake.ts';

interface Ctx {
  deleting: boolean;
  ran: string[];
}

const ctx = (deleting = false): Ctx => ({ deleting, ran: [] });
const step = (name: string, run: (c: Ctx) => StepResult | Promise<StepResult>): Step<Ctx> => ({ name, run });
const ok = (name: string, result: StepResult = complete()) =>
  step(name, (c) => {
    c.ran.push(name);
    return result;
  });

describe('runSteps', () => {
  test('all complete: every step runs in order', async () => {
    const c = ctx();
    const s = await runSteps([ok('finalizer'), ok('validate'), ok('identity')], c);
    assert.deepEqual(c.ran, ['finalizer', 'validate', 'identity']);
    assert.equal(s.result.status, 'complete');
    assert.equal(s.summaryLine, 'complete finalizer=ok validate=ok identity=ok');
    assert.deepEqual(toControllerResult(s), {});
  });

  test('stops at the first wait', async () => {
    const c = ctx();
    const s = await runSteps([ok('validate'), ok('deploy', wait('syncer not applied yet')), ok('status')], c);
    assert.deepEqual(c.ran, ['validate', 'deploy']);
    assert.equal(s.summaryLine, 'wait validate=ok deploy=wait(syncer not applied yet)');
    assert.deepEqual(toControllerResult(s), {});
  });

  test('stops at the first retry and maps to requeueAfter', async () => {
    const c = ctx();
    const s = await runSteps([ok('a', retry(42_000, 'fresh beat')), ok('b')], c);
    assert.deepEqual(c.ran, ['a']);
    assert.equal(s.summaryLine, 'retry(42s) a=retry(42s: fresh beat)');
    assert.deepEqual(toControllerResult(s), { requeueAfter: 42_000 });
  });

  test('fail stops and carries the error (terminal stays terminal)', async () => {
    const err = new Error('spec.cluster is required');
    const s = await runSteps([ok('validate', fail(err)), ok('deploy')], ctx());
    assert.equal(s.summaryLine, 'fail validate=fail(spec.cluster is required)');
    assert.deepEqual(toControllerResult(s), { error: err });
  });

  test('a throwing step is a failing step', async () => {
    const s = await runSteps<Ctx>(
      [
        step('boom', () => {
          throw new Error('kaput');
        }),
      ],
      ctx(),
    );
    assert.equal(s.result.status, 'fail');
    assert.equal(s.summaryLine, 'fail boom=fail(kaput)');
  });

  test('async steps are awaited', async () => {
    const s = await runSteps([step('later', async () => retry(1500, 'soon'))], ctx());
    assert.equal(s.summaryLine, 'retry(1.5s) later=retry(1.5s: soon)');
  });

  test('nonBlocking: retry recorded, pipeline continues; precedence and smallest delay', async () => {
    const c = ctx();
    const s = await runSteps(
      [
        ok('finalizer'),
        nonBlocking(ok('heartbeat', retry(42_000, 'fresh beat'))),
        nonBlocking(ok('lease', retry(10_000, 'renew'))),
        ok('status'),
      ],
      c,
    );
    assert.deepEqual(c.ran, ['finalizer', 'heartbeat', 'lease', 'status']);
    assert.equal(
      s.summaryLine,
      'retry(10s) finalizer=ok heartbeat=retry(42s: fresh beat) lease=retry(10s: renew) status=ok',
    );
    assert.deepEqual(toControllerResult(s), { requeueAfter: 10_000 });
  });

  test('precedence: retry beats a later wait, fail beats everything', async () => {
    const s1 = await runSteps([nonBlocking(ok('a', retry(5000, 'x'))), ok('b', wait('event'))], ctx());
    assert.equal(s1.result.status, 'retry');
    const s2 = await runSteps([nonBlocking(ok('a', wait('w'))), nonBlocking(ok('b', retry(1, 'r'))), ok('c', fail(new Error('e')))], ctx());
    assert.equal(s2.result.status, 'fail');
    assert.equal(s2.summaryLine, 'fail a=wait(w) b=retry(1ms: r) c=fail(e)');
    const s3 = await runSteps([nonBlocking(ok('a', wait('w'))), ok('b')], ctx());
    assert.equal(s3.result.status, 'wait');
  });

  test('a nonBlocking step that fails still stops the pipeline', async () => {
    const c = ctx();
    await runSteps([nonBlocking(ok('a', fail(new Error('x')))), ok('b')], c);
    assert.deepEqual(c.ran, ['a']);
  });

  test('records per-step durations on the injected clock', async () => {
    const clock = new FakeClock();
    const s = await runSteps(
      [
        step('slow', () => {
          clock.step(250);
          return complete('done');
        }),
        step('fast', () => complete()),
      ],
      ctx(),
      { now: () => clock.now() },
    );
    assert.deepEqual(s.steps, [
      { name: 'slow', status: 'complete', message: 'done', durationMs: 250 },
      { name: 'fast', status: 'complete', durationMs: 0 },
    ]);
  });

  test('retry(0) maps to a rate-limited requeue, not a hot loop', async () => {
    const s = await runSteps([ok('a', retry(0, 'now'))], ctx());
    assert.deepEqual(toControllerResult(s), { requeue: true });
  });
});

describe('formatDuration', () => {
  test('Go-like', () => {
    assert.deepEqual(
      [0, 5, 999, 1000, 1500, 42_000, 90_000, 3_600_000, 3_661_000, 1_000_000].map(formatDuration),
      ['0ms', '5ms', '999ms', '1s', '1.5s', '42s', '1m30s', '1h', '1h1m1s', '16m40s'],
    );
  });
});
