import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newMetricsRegistry } from './registry.ts';
import { registerThreadBusyMetric } from './thread.ts';

async function busySeconds(registry: ReturnType<typeof newMetricsRegistry>): Promise<number> {
  const family = (await registry.getMetricsAsJSON()).find((m) => m.name === 'kplane_thread_busy_seconds_total');
  return family?.values.find((v) => v.labels.thread === 'main')?.value ?? Number.NaN;
}

test('the busy-time counter grows with the work this thread does, and never goes back', async () => {
  // Node counts loop time from the loop's first turn on: be inside it.
  await new Promise((r) => setTimeout(r, 10));
  const registry = newMetricsRegistry({ processMetrics: false });
  registerThreadBusyMetric(registry, 'main');
  const before = await busySeconds(registry);
  // Busy for ~50 ms of this thread's own time, then let the loop turn once.
  const until = Date.now() + 50;
  while (Date.now() < until);
  await new Promise((r) => setImmediate(r));
  const after = await busySeconds(registry);
  assert.ok(after - before >= 0.04, `grew by ${after - before} s`);
  // Idle time does not count.
  await new Promise((r) => setTimeout(r, 300));
  const idle = await busySeconds(registry);
  assert.ok(idle - after < 0.15, `grew by ${idle - after} s while waiting 0.3 s for a timer`);
  assert.ok(idle >= after);
});
