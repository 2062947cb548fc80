// `kplane start`: open storage, serve the API on HTTPS, write admin.kubeconfig, run until
// SIGTERM/SIGINT, then shut down cleanly (watches end, requests drain, storage closes).
import { createServer } from 'node:net';
import { writeAdminKubeconfig } from '../../pkg/bootstrap/admin.ts';
import type { Logger } from '../../pkg/log/logger.ts';
import { errorFields } from '../../pkg/log/errors.ts';
import { startCompactor } from '../../pkg/storage/compaction/index.ts';
import { buildContainer, TYPES } from './container.ts';
import { effectiveLogLevel } from '../../pkg/options/verbosity.ts';
import { ensureBootstrapRoles } from '../../pkg/server/authz/bootstrap.ts';
import type { StartOptions } from './options.ts';
import { BearerTokenConfig } from '../../pkg/client/token-config.ts';
import { parseDuration } from '../../pkg/options/duration.ts';
import { ControllerManager, enabledControllers } from '../../pkg/reconciler/manager.ts';
import { type KplaneMetrics, registerSyncTargetMetrics } from '../../pkg/metrics/index.ts';
import type { HealthCheck } from '../../pkg/server/health.ts';
import { shutDownGracefully, waitForTermination } from './shutdown.ts';
import { LEADER_ELECTION } from './leader-election.ts';
import { ControllersThread } from './controllers-thread.ts';
import { IdleMemoryReducer } from '../../pkg/memory/idle-reducer.ts';
import { detectAllocator } from '../../pkg/memory/allocator.ts';
import { PromReducerMetrics, registerThreadBusyMetric } from '../../pkg/metrics/index.ts';
import { socketDisplayName } from '../../pkg/server/loopback-socket.ts';

/** The controllers of the current leadership term, and whether their checks are registered. */
interface ControllerTerm {
  /** In-process controllers (--controllers-thread=false). */
  manager?: ControllerManager | undefined;
  /** Controllers on a worker thread (the default). */
  thread?: ControllersThread | undefined;
  registered?: boolean;
}

/** Resolve port 0 to a concrete free port up front, so URLs are known before wiring. */
async function resolvePort(bind: string, port: number): Promise<number> {
  if (port !== 0) return port;
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, bind, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Run the controllers over the loopback identity (resolves when they stop): on a worker thread
 * by default, or on the server's own event loop with --controllers-thread=false.
 */
function startControllers(
  o: StartOptions,
  url: string,
  caPem: string,
  loopback: { token: string; socketPath: string | undefined },
  logger: Logger,
  signal: AbortSignal,
  ops: { metrics: KplaneMetrics; readyChecks: HealthCheck[]; term: ControllerTerm },
): Promise<void> {
  if (enabledControllers(o.controllers).length === 0) return Promise.resolve();
  // With leader election this runs once per leadership term: checks and metrics are
  // registered once and read whichever controllers lead now (none on a follower).
  if (!ops.term.registered) {
    ops.term.registered = true;
    // /readyz waits for the controllers' caches; /metrics reads SyncTargets from the same cache.
    ops.readyChecks.push({ name: 'informers-synced', check: () => {
      const synced = ops.term.thread?.hasSynced() ?? ops.term.manager?.hasSynced() ?? true;
      if (!synced) throw new Error('controller informers have not synced yet');
    } });
    if (o['controllers-thread']) ops.metrics.apiserver.sources.push(() => ops.term.thread?.metrics() ?? Promise.resolve([]));
    else registerSyncTargetMetrics(ops.metrics.registry, () => ops.term.manager?.syncTargetSource());
  }
  if (o['controllers-thread']) {
    const thread = new ControllersThread({
      url,
      caPem,
      token: loopback.token,
      ...(loopback.socketPath !== undefined ? { socketPath: loopback.socketPath } : {}),
      controllers: o.controllers,
      heartbeatThresholdMs: parseDuration(o['heartbeat-threshold'])!,
      evictionGraceMs: parseDuration(o['eviction-grace'])!,
      syncerImage: o['syncer-image'],
      logFormat: o['log-format'],
      logLevel: effectiveLogLevel(o),
      reduceIdleHeap: o['reduce-idle-heap'],
    }, logger);
    ops.term.thread = thread;
    return thread.run(signal).finally(() => {
      if (ops.term.thread === thread) ops.term.thread = undefined;
    });
  }
  // The loopback identity's token (LOOPBACK_USER), as a kubeconfig with only a token would give it.
  const kubeconfig = new BearerTokenConfig({ server: url, caPem, ...loopback });
  const manager = new ControllerManager({
    kubeconfig,
    logger,
    heartbeatThresholdMs: parseDuration(o['heartbeat-threshold'])!,
    evictionGraceMs: parseDuration(o['eviction-grace'])!,
    kplaneURL: url,
    caPem,
    syncerImage: o['syncer-image'],
    controllers: o.controllers,
    metrics: { controller: ops.metrics.controller, queue: ops.metrics.queue, informer: ops.metrics.informer },
  });
  ops.term.manager = manager;
  return manager.run(signal).catch((err: unknown) => {
    logger.error('controllers stopped with an error', errorFields(err));
  }).finally(() => {
    if (ops.term.manager === manager) ops.term.manager = undefined;
  });
}

export async function runStart(opts: StartOptions): Promise<void> {
  const port = await resolvePort(opts['bind-address'], opts['secure-port']);
  const o: StartOptions = { ...opts, 'secure-port': port };
  const container = buildContainer(o);
  const logger = container.get(TYPES.Logger);
  const host = o['external-hostname'] ?? (o['bind-address'] === '0.0.0.0' || o['bind-address'] === '::' ? '127.0.0.1' : o['bind-address']);
  const externalURL = `https://${urlHost(host)}:${port}`;
  container.bind(TYPES.ExternalURL).toConstantValue(externalURL);

  const storage = await container.getAsync(TYPES.Storage);
  const stopCompactor = startCompactor(storage, { logger });
  const lifecycle = await container.getAsync(TYPES.Lifecycle);
  await lifecycle.ensureDefaultNamespace('root');
  await ensureBootstrapRoles(await container.getAsync(TYPES.Registry), 'root');
  const serving = await container.getAsync(TYPES.Serving);
  await serving.listen();
  const loopbackSocket = container.get(TYPES.LoopbackSocket);
  if (loopbackSocket !== undefined) logger.info('serving the controllers on the loopback socket', { socket: socketDisplayName(loopbackSocket) });
  // Finish initialisations and cleanups a previous process left pending, then resync.
  const lifecycleStop = new AbortController();
  lifecycle.run(lifecycleStop.signal).catch((err: unknown) => logger.error('lifecycle resync stopped', errorFields(err)));

  const material = container.get(TYPES.ServingMaterial);
  const admin = container.get(TYPES.AdminToken);
  if (admin.token) {
    const path = writeAdminKubeconfig(o['root-dir'], externalURL, material.ca.certPem, admin.token);
    logger.info('wrote admin kubeconfig', { path });
  } else {
    logger.warn('admin.kubeconfig is missing and the admin token cannot be recovered; delete .admin-token-store to mint a new one');
  }
  const controllersStop = new AbortController();
  const ops = { metrics: container.get(TYPES.Metrics), readyChecks: container.get(TYPES.ReadyChecks), term: {} };
  // The API server's thread (with --controllers-thread=false, the controllers' too).
  registerThreadBusyMetric(ops.metrics.registry, 'api-server');
  const runControllers = (signal: AbortSignal) =>
    startControllers(o, externalURL, material.ca.certPem, { token: container.get(TYPES.LoopbackToken), socketPath: loopbackSocket }, logger, signal, ops);
  // Only the elected leader among etcd replicas runs controllers (docs/etcd.md); SQLite's
  // file lock already makes its one process the only candidate.
  const election = () => container.get(LEADER_ELECTION.Elector);
  const controllers = enabledControllers(o.controllers).length === 0
    ? Promise.resolve()
    : o['leader-elect'] && o.storage === 'etcd'
      ? election().run(controllersStop.signal, runControllers)
      : election().runUnelected(controllersStop.signal, runControllers);
  // The API server's heap (the controllers' thread reduces its own).
  const reducer = o['reduce-idle-heap']
    ? new IdleMemoryReducer({ logger, isolate: 'api-server', metrics: new PromReducerMetrics(ops.metrics.registry, 'api-server') })
    : undefined;
  reducer?.start();
  logger.info('kplane is ready', { url: externalURL, storage: storage.name, rootDir: o['root-dir'], allocator: detectAllocator() });

  const signal = await waitForTermination();
  reducer?.stop();
  const graceMs = parseDuration(o['shutdown-grace-period'])!;
  await shutDownGracefully({
    signal,
    state: container.get(TYPES.Shutdown),
    logger,
    delayMs: parseDuration(o['shutdown-delay'])!,
    deadlineMs: graceMs + 10_000,
    steps: [
      { name: 'controllers', run: async () => (controllersStop.abort(), await controllers) },
      // Pending cleanups are durable (lifecycle.ts): the next start finishes them.
      { name: 'lifecycle', run: async () => lifecycleStop.abort() },
      { name: 'serving', run: () => serving.close(graceMs) },
      { name: 'audit log', run: () => (container.isBound(TYPES.Audit) ? container.get(TYPES.Audit).close() : Promise.resolve()) },
      { name: 'compactor', run: () => stopCompactor() },
      { name: 'storage', run: () => storage.close() },
    ],
  });
  logger.info('kplane stopped');
}
