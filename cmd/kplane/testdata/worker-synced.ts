// A stand-in for controllers-worker.ts (controllers-thread.test.ts): reports synced, answers
// metric requests with one counter, stops on "stop".
import { parentPort } from 'node:worker_threads';
import { Counter, Registry } from 'prom-client';
import type { FromWorker, ToWorker } from '../controllers-protocol.ts';

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const registry = new Registry();
new Counter({ name: 'fake_total', help: 'fake', registers: [registry] }).inc(3);
post({ type: 'synced' });
port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') port.close();
  else void registry.getMetricsAsJSON().then((metrics) => post({ type: 'metrics', id: m.id, metrics }));
});
