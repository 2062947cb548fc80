import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../client/object.ts';
import { newLogger } from '../log/logger.ts';
import { ClientEventRecorder } from './recorder.ts';

/** A server whose Event creates complete only when the test releases them. */
function slowServer() {
  const created: string[] = [];
  const pending: (() => void)[] = [];
  let maxConcurrent = 0;
  let concurrent = 0;
  const client = {
    cluster: () => ({
      events: () => ({
        create: async (ev: KubeObject & { reason: string }) => {
          concurrent++;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          await new Promise<void>((r) => pending.push(r));
          concurrent--;
          created.push(ev.reason);
          return ev;
        },
      }),
    }),
  } as never;
  return { client, created, pending, maxConcurrent: () => maxConcurrent };
}

const target: KubeObject = { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 'st', uid: 'u1', annotations: { 'kcp.io/cluster': 'root' } } };
const tick = () => new Promise((r) => setImmediate(r));

test('events go out a few at a time; a full backlog drops new ones instead of piling up writes', async () => {
  const server = slowServer();
  const rec = new ClientEventRecorder(server.client, 'test', newLogger({ level: 'error' }), Date.now, { maxInFlight: 1, maxQueued: 2 });
  const done = ['A', 'B', 'C', 'D'].map((r) => rec.event(target, 'Warning', r, `message ${r}`));
  await tick();
  assert.equal(server.pending.length, 1, 'one in flight');
  assert.equal(rec.dropped, 1, 'A in flight, B and C queued, D dropped');
  await done[3];
  while (server.created.length < 3) {
    server.pending.shift()?.();
    await tick();
  }
  await Promise.all(done);
  assert.deepEqual(server.created, ['A', 'B', 'C']);
  assert.equal(server.maxConcurrent(), 1);
});
