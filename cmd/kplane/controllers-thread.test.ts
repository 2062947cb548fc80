import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import { newLogger } from '../../pkg/log/logger.ts';
import { ControllersThread } from './controllers-thread.ts';
import type { ControllersWorkerData } from './controllers-protocol.ts';

const DATA: ControllersWorkerData = {
  url: 'https://127.0.0.1:1',
  caPem: '',
  token: 't',
  controllers: '*',
  heartbeatThresholdMs: 60_000,
  evictionGraceMs: 300_000,
  syncerImage: 'img',
  logFormat: 'json',
  logLevel: 'info',
  reduceIdleHeap: false,
};

function capturingLogger(): { logger: ReturnType<typeof newLogger>; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, cb) { out.push(chunk.toString('utf8')); cb(); } });
  return { logger: newLogger({ stream }), lines: () => out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(check(), 'condition not reached in 5 s');
}

test('ControllersThread: synced and metrics come from the worker; stop ends it', async () => {
  const { logger } = capturingLogger();
  const thread = new ControllersThread(DATA, logger, new URL('./testdata/worker-synced.ts', import.meta.url));
  assert.equal(thread.hasSynced(), false);
  assert.deepEqual(await thread.metrics(), [], 'no worker yet: no metrics');
  const stop = new AbortController();
  const running = thread.run(stop.signal);
  await until(() => thread.hasSynced());
  const metrics = await thread.metrics();
  assert.equal(metrics[0]?.name, 'fake_total');
  stop.abort();
  await running;
  assert.equal(thread.hasSynced(), false, 'a stopped worker is not synced');
});

test('ControllersThread: a worker that dies is started again, with a logged reason', async () => {
  const { logger, lines } = capturingLogger();
  const thread = new ControllersThread(DATA, logger, new URL('./testdata/worker-exits.ts', import.meta.url));
  const stop = new AbortController();
  const running = thread.run(stop.signal);
  await until(() => lines().filter((l) => l.message === 'controllers worker exited; starting it again').length >= 2);
  stop.abort();
  await running;
  const first = lines().find((l) => l.message === 'controllers worker exited; starting it again')!;
  assert.equal(first.exitCode, 7);
  assert.equal(first.delayMs, 1000);
});
