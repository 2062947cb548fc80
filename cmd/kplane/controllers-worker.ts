// Entry of the worker thread that runs `kplane start`'s controllers (controllers-thread.ts): the
// same ControllerManager as in-process, over the same loopback identity and socket, on its own
// event loop so that the API server and the controllers use two cores. It speaks to the main
// thread only through messages (protocol in controllers-protocol.ts): "synced" once the
// informers have synced, metric snapshots on request, and it stops on "stop".
import { parentPort, workerData } from 'node:worker_threads';
import { BearerTokenConfig } from '../../pkg/client/token-config.ts';
import { errorFields } from '../../pkg/log/errors.ts';
import { newLogger } from '../../pkg/log/logger.ts';
import { newMetricsRegistry, PromControllerMetrics, PromInformerMetrics, PromQueueMetricsProvider, PromReducerMetrics, registerSyncTargetMetrics, registerThreadBusyMetric } from '../../pkg/metrics/index.ts';
import { ControllerManager } from '../../pkg/reconciler/manager.ts';
import { IdleMemoryReducer } from '../../pkg/memory/idle-reducer.ts';
import type { ControllersWorkerData, FromWorker, ToWorker } from './controllers-protocol.ts';

/** How often the worker looks whether its informers have synced, until they have. */
const SYNC_POLL_MS = 50;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('controllers-worker.ts runs only as a worker thread');
  const data = workerData as ControllersWorkerData;
  const post = (m: FromWorker) => port.postMessage(m);
  const logger = newLogger({ format: data.logFormat, level: data.logLevel });
  // The worker's own registry: the main thread merges its snapshot into /metrics. Process
  // metrics stay the main thread's (one process).
  const registry = newMetricsRegistry({ processMetrics: false });
  const manager = new ControllerManager({
    kubeconfig: new BearerTokenConfig({ server: data.url, caPem: data.caPem, token: data.token, socketPath: data.socketPath }),
    logger,
    heartbeatThresholdMs: data.heartbeatThresholdMs,
    evictionGraceMs: data.evictionGraceMs,
    kplaneURL: data.url,
    caPem: data.caPem,
    syncerImage: data.syncerImage,
    controllers: data.controllers,
    metrics: { controller: new PromControllerMetrics(registry), queue: new PromQueueMetricsProvider(registry), informer: new PromInformerMetrics(registry) },
  });
  registerSyncTargetMetrics(registry, () => manager.syncTargetSource());
  registerThreadBusyMetric(registry, 'controllers');

  const reducer = data.reduceIdleHeap
    ? new IdleMemoryReducer({ logger, isolate: 'controllers', metrics: new PromReducerMetrics(registry, 'controllers') })
    : undefined;
  reducer?.start();

  const stop = new AbortController();
  port.on('message', (m: ToWorker) => {
    if (m.type === 'stop') stop.abort();
    else if (m.type === 'metrics') {
      registry.getMetricsAsJSON().then(
        (metrics) => post({ type: 'metrics', id: m.id, metrics }),
        (err: unknown) => post({ type: 'metrics', id: m.id, metrics: [], error: String(err) }),
      );
    }
  });
  const poll = setInterval(() => {
    if (!manager.hasSynced()) return;
    clearInterval(poll);
    post({ type: 'synced' });
  }, SYNC_POLL_MS);
  try {
    await manager.run(stop.signal);
  } catch (err) {
    logger.error('controllers stopped with an error', errorFields(err));
    throw err;
  } finally {
    clearInterval(poll);
    reducer?.stop();
    // The port keeps the thread alive: closing it lets the worker end once the manager is done.
    port.close();
  }
}

await main();
