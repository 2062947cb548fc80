// How busy each thread of a process is: kplane_thread_busy_seconds_total{thread}, the time the
// thread's event loop spent running (Node's performance.eventLoopUtilization), read at each
// scrape in the thread that owns the registry. `kplane start` runs the API server and the
// controllers on two threads; process_cpu_seconds_total cannot tell them apart, and a
// saturated controllers' thread (heartbeat verdicts queueing) looks like an idle API server.
// rate() of it is the thread's utilisation, 0 to 1.
import { performance } from 'node:perf_hooks';
import { Counter } from 'prom-client';
import type { MetricsRegistry } from './registry.ts';

export function registerThreadBusyMetric(registry: MetricsRegistry, thread: string): void {
  let counted = 0;
  new Counter({
    name: 'kplane_thread_busy_seconds_total',
    help: 'Time the thread\'s event loop spent running (not waiting for I/O or timers), by thread',
    labelNames: ['thread'],
    registers: [registry],
    collect() {
      // Cumulative since the thread started; the counter takes the part not yet counted.
      const active = performance.eventLoopUtilization().active / 1000;
      this.labels(thread).inc(Math.max(0, active - counted));
      counted = Math.max(counted, active);
    },
  });
}
