// The one inversify container of `kplane start`: every collaborator is built here from
// the validated options, and libraries receive what they need through their constructors.
import { Container } from 'inversify';
import { ALL_RESOURCES } from '../../apis/index.ts';
import { type AdminToken, ensureAdminToken } from '../../pkg/bootstrap/admin.ts';
import { ensureServingMaterial, type ServingMaterial } from '../../pkg/certs/certs.ts';
import { type Logger, newLogger } from '../../pkg/log/logger.ts';
import { AuthenticatorChain } from '../../pkg/server/authn/authenticator.ts';
import { DashboardAssets } from '../../pkg/server/dashboard/handler.ts';
import { Discovery } from '../../pkg/server/discovery.ts';
import type { HealthCheck } from '../../pkg/server/health.ts';
import { Lifecycle } from '../../pkg/server/lifecycle.ts';
import { OpenAPIService } from '../../pkg/server/openapi/index.ts';
import { Registry } from '../../pkg/server/registry/registry.ts';
import { APIServer } from '../../pkg/server/server.ts';
import { SecureServing } from '../../pkg/server/serving.ts';
import { setBodyTimeout } from '../../pkg/server/httpx/body.ts';
import { setAvailabilityMetrics } from '../../pkg/server/httpx/availability-metrics.ts';
import { parseDuration } from '../../pkg/options/duration.ts';
import type { Storage } from '../../pkg/storage/interface.ts';
import { type KplaneMetrics, newKplaneMetrics } from '../../pkg/metrics/index.ts';
import { ShutdownState } from '../../pkg/server/shutdown.ts';
import { effectiveLogLevel } from '../../pkg/options/verbosity.ts';
import { openStorage, withWatchCache } from './storage.ts';
import { bindLeaderElection } from './leader-election.ts';
import type { StartOptions } from './options.ts';
import { bindSecurity, SECURITY_TYPES } from './security.ts';
import { newLoopbackToken } from '../../pkg/server/authn/loopback.ts';
import { newLoopbackSocketPath } from '../../pkg/server/loopback-socket.ts';
import { recordWorkspaceOwner, workspaceInitializer } from '../../pkg/server/authz/bootstrap.ts';
import { placementCreatorStrategy } from '../../pkg/server/authz/placement-creator.ts';
import { syncTargetStrategy } from '../../pkg/server/workload/synctarget-strategy.ts';
import { enabledControllers } from '../../pkg/reconciler/manager.ts';
import { CONTROLLER_NAME as SYNCTARGET_CONTROLLER } from '../../pkg/reconciler/workload/synctarget/types.ts';
import { lifecyclePauseFromEnv, verifySharedObjectsFromEnv } from './test-hooks.ts';
import { setReuseSelfCheck } from '../../pkg/server/admission/reuse.ts';
import { type AuditSink, LogFileAuditSink } from '../../pkg/server/audit/sink.ts';
import { serviceId } from '../internal/service-id.ts';

export const TYPES = {
  Options: serviceId<StartOptions>('Options'),
  LoopbackToken: serviceId<string>('LoopbackToken'),
  /** Where the server also serves its own clients as plain HTTP (undefined: not on this OS). */
  LoopbackSocket: serviceId<string | undefined>('LoopbackSocket'),
  Logger: serviceId<Logger>('Logger'),
  Storage: serviceId<Storage>('Storage'),
  ServingMaterial: serviceId<ServingMaterial>('ServingMaterial'),
  AdminToken: serviceId<AdminToken>('AdminToken'),
  ExternalURL: serviceId<string>('ExternalURL'),
  Registry: serviceId<Registry>('Registry'),
  Discovery: serviceId<Discovery>('Discovery'),
  Lifecycle: serviceId<Lifecycle>('Lifecycle'),
  OpenAPI: serviceId<OpenAPIService>('OpenAPI'),
  Authenticator: serviceId<AuthenticatorChain>('Authenticator'),
  APIServer: serviceId<APIServer>('APIServer'),
  Serving: serviceId<SecureServing>('Serving'),
  Metrics: serviceId<KplaneMetrics>('Metrics'),
  /** The audit log; bound only with --audit-log-path. */
  Audit: serviceId<AuditSink>('Audit'),
  Shutdown: serviceId<ShutdownState>('Shutdown'),
  /** Readiness checks beyond health (shutdown, informers-synced); start.ts may add more. */
  ReadyChecks: serviceId<HealthCheck[]>('ReadyChecks'),
} as const;

export function servingHosts(o: StartOptions): string[] {
  const hosts = new Set(['127.0.0.1', 'localhost', '::1', o['bind-address']]);
  if (o['external-hostname']) hosts.add(o['external-hostname']);
  return [...hosts].filter((h) => h !== '0.0.0.0' && h !== '::');
}

/**
 * Build the container. The port may be 0 (tests), so the external URL is bound later by the
 * caller once the listener knows its port: `bindExternalURL`.
 */
export function buildContainer(o: StartOptions, logger: Logger = newLogger({ format: o['log-format'], level: effectiveLogLevel(o) })): Container {
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind(TYPES.Options).toConstantValue(o);
  c.bind(TYPES.Logger).toConstantValue(logger);
  c.bind(TYPES.Storage).toDynamicValue(() => openStorage(o));
  const metrics = newKplaneMetrics(ALL_RESOURCES.map((r) => ({ group: r.group, plural: r.plural })));
  c.bind(TYPES.Metrics).toConstantValue(metrics);
  // Slow watchers closed, connections cut by a bound (pkg/server/httpx/availability-metrics.ts).
  setAvailabilityMetrics(metrics.apiserver);
  // Every storage call is timed (pkg/metrics/storage.ts), whichever backend was opened.
  c.onActivation(TYPES.Storage, (ctx, storage) => ctx.get(TYPES.Metrics).storage.wrap(storage));
  c.bind(TYPES.Shutdown).toConstantValue(new ShutdownState());
  c.bind(TYPES.ReadyChecks).toDynamicValue((ctx) => [ctx.get(TYPES.Shutdown).check]);
  c.bind(TYPES.ServingMaterial).toDynamicValue(() => ensureServingMaterial(o['root-dir'], servingHosts(o)));
  c.bind(TYPES.AdminToken).toDynamicValue(() => ensureAdminToken(o['root-dir']));
  c.bind(TYPES.Registry).toDynamicValue(async (ctx) => {
    const registry = new Registry(ALL_RESOURCES, withWatchCache(o, await ctx.getAsync(TYPES.Storage), logger));
    // Under `npm test`, admission that reuses an update's unchanged parts checks itself
    // against a whole parse (pkg/server/admission/reuse.ts).
    setReuseSelfCheck(verifySharedObjectsFromEnv(process.env));
    // Placements record their creator, as whom access to another workspace's Locations is checked.
    registry.store('scheduling.kcp.io', 'placements').strategy = placementCreatorStrategy();
    // With the SyncTarget controller in this process, new SyncTargets carry its finalizer and
    // their key label from the start (one write less per target). Without it the finalizer would
    // hold every delete for a controller this server cannot vouch for; a separate
    // `kplane controllers` adds both on its first reconcile instead, as it always did.
    if (enabledControllers(o.controllers).includes(SYNCTARGET_CONTROLLER)) registry.store('workload.kcp.io', 'synctargets').strategy = syncTargetStrategy();
    return registry;
  });
  c.bind(TYPES.Discovery).toDynamicValue(() => new Discovery(ALL_RESOURCES));
  c.bind(TYPES.OpenAPI).toDynamicValue(() => new OpenAPIService(ALL_RESOURCES));
  c.bind(TYPES.Lifecycle).toDynamicValue(async (ctx) => {
    const registry = await ctx.getAsync(TYPES.Registry);
    const lifecycle = new Lifecycle(registry, logger, ctx.get(TYPES.ExternalURL), { pause: lifecyclePauseFromEnv(process.env, logger) });
    lifecycle.workspaceInitializers.push(workspaceInitializer(registry));
    lifecycle.workspaceCreationHooks.push(recordWorkspaceOwner);
    return lifecycle;
  });
  c.bind(TYPES.LoopbackToken).toConstantValue(newLoopbackToken());
  c.bind(TYPES.LoopbackSocket).toConstantValue(newLoopbackSocketPath());
  bindLeaderElection(c, { externalURL: TYPES.ExternalURL, loopbackToken: TYPES.LoopbackToken, loopbackSocket: TYPES.LoopbackSocket, servingMaterial: TYPES.ServingMaterial, logger: TYPES.Logger });
  bindSecurity(c, o, { registry: TYPES.Registry, adminToken: TYPES.AdminToken, authenticator: TYPES.Authenticator, loopbackToken: TYPES.LoopbackToken });
  const auditPath = o['audit-log-path'];
  if (auditPath) c.bind(TYPES.Audit).toDynamicValue(() => new LogFileAuditSink(auditPath, logger));
  c.bind(TYPES.APIServer).toDynamicValue(async (ctx) => {
    const storage = await ctx.getAsync(TYPES.Storage);
    const storageCheck: HealthCheck = { name: 'storage', check: async () => void (await storage.currentRevision()) };
    return new APIServer({
      registry: await ctx.getAsync(TYPES.Registry),
      discovery: ctx.get(TYPES.Discovery),
      lifecycle: await ctx.getAsync(TYPES.Lifecycle),
      openapi: ctx.get(TYPES.OpenAPI),
      authenticator: await ctx.getAsync(TYPES.Authenticator),
      security: await ctx.getAsync(SECURITY_TYPES.Security),
      inflight: ctx.get(SECURITY_TYPES.Inflight),
      requestTimeoutMs: parseDuration(o['request-timeout'])!,
      ...(auditPath ? { audit: ctx.get(TYPES.Audit) } : {}),
      logger,
      healthChecks: [{ name: 'ping', check: () => undefined }, storageCheck],
      readyChecks: ctx.get(TYPES.ReadyChecks),
      metrics: ctx.get(TYPES.Metrics).apiserver,
      serverAddress: new URL(ctx.get(TYPES.ExternalURL)).host,
      ...(o.dashboard ? { dashboard: DashboardAssets.load() } : {}),
    });
  });
  c.bind(TYPES.Serving).toDynamicValue(async (ctx) => {
    const m = ctx.get(TYPES.ServingMaterial);
    const loopbackSocket = ctx.get(TYPES.LoopbackSocket);
    const bodyTimeoutMs = parseDuration(o['request-body-timeout'])!;
    setBodyTimeout(bodyTimeoutMs);
    return new SecureServing(
      await ctx.getAsync(TYPES.APIServer),
      {
        bindAddress: o['bind-address'],
        port: o['secure-port'],
        certPem: m.serving.certPem,
        keyPem: m.serving.keyPem,
        caPem: m.ca.certPem,
        limits: {
          maxConnections: o['max-connections'],
          maxConnectionsPerIP: o['max-connections-per-ip'],
          // The backstop must not cut a body before the handlers' own deadline answers 408.
          requestTimeoutMs: Math.max(60_000, bodyTimeoutMs + 30_000),
        },
        ...(loopbackSocket !== undefined ? { loopbackSocket } : {}),
      },
      logger,
    );
  });
  return c;
}
