// The one inversify container of `kplane start`: every collaborator is built here from
// the validated options, and libraries receive what they need through their constructors.
import { Container } from 'inversify';
import { ALL_RESOURCES } from '../../apis/index.ts';
import { ensureAdminToken } from '../../pkg/bootstrap/admin.ts';
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
import { recordWorkspaceOwner, workspaceInitializer } from '../../pkg/server/authz/bootstrap.ts';
import { placementCreatorStrategy } from '../../pkg/server/authz/placement-creator.ts';
import { lifecyclePauseFromEnv } from './test-hooks.ts';
import type { SecurityServices } from '../../pkg/server/authz/services.ts';
import type { InflightLimits } from '../../pkg/server/filters/inflight.ts';
import { type AuditSink, LogFileAuditSink } from '../../pkg/server/audit/sink.ts';

export const TYPES = {
  Options: Symbol('Options'),
  LoopbackToken: Symbol('LoopbackToken'),
  Logger: Symbol('Logger'),
  Storage: Symbol('Storage'),
  ServingMaterial: Symbol('ServingMaterial'),
  AdminToken: Symbol('AdminToken'),
  ExternalURL: Symbol('ExternalURL'),
  Registry: Symbol('Registry'),
  Discovery: Symbol('Discovery'),
  Lifecycle: Symbol('Lifecycle'),
  OpenAPI: Symbol('OpenAPI'),
  Authenticator: Symbol('Authenticator'),
  APIServer: Symbol('APIServer'),
  Serving: Symbol('Serving'),
  Metrics: Symbol('Metrics'),
  /** The audit log; bound only with --audit-log-path. */
  Audit: Symbol('Audit'),
  Shutdown: Symbol('Shutdown'),
  /** Readiness checks beyond health (shutdown, informers-synced); start.ts may add more. */
  ReadyChecks: Symbol('ReadyChecks'),
} as const;

export interface AdminToken {
  sha256: string;
  token: string | undefined;
}

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
  c.bind<StartOptions>(TYPES.Options).toConstantValue(o);
  c.bind<Logger>(TYPES.Logger).toConstantValue(logger);
  c.bind<Storage>(TYPES.Storage).toDynamicValue(() => openStorage(o));
  const metrics = newKplaneMetrics(ALL_RESOURCES.map((r) => ({ group: r.group, plural: r.plural })));
  c.bind<KplaneMetrics>(TYPES.Metrics).toConstantValue(metrics);
  // Slow watchers closed, connections cut by a bound (pkg/server/httpx/availability-metrics.ts).
  setAvailabilityMetrics(metrics.apiserver);
  // Every storage call is timed (pkg/metrics/storage.ts), whichever backend was opened.
  c.onActivation<Storage>(TYPES.Storage, (ctx, storage) => ctx.get<KplaneMetrics>(TYPES.Metrics).storage.wrap(storage));
  c.bind<ShutdownState>(TYPES.Shutdown).toConstantValue(new ShutdownState());
  c.bind<HealthCheck[]>(TYPES.ReadyChecks).toDynamicValue((ctx) => [ctx.get<ShutdownState>(TYPES.Shutdown).check]);
  c.bind<ServingMaterial>(TYPES.ServingMaterial).toDynamicValue(() => ensureServingMaterial(o['root-dir'], servingHosts(o)));
  c.bind<AdminToken>(TYPES.AdminToken).toDynamicValue(() => ensureAdminToken(o['root-dir']));
  c.bind<Registry>(TYPES.Registry).toDynamicValue(async (ctx) => {
    const registry = new Registry(ALL_RESOURCES, withWatchCache(o, await ctx.getAsync<Storage>(TYPES.Storage), logger));
    // Placements record their creator, as whom access to another workspace's Locations is checked.
    registry.store('scheduling.kcp.io', 'placements').strategy = placementCreatorStrategy();
    return registry;
  });
  c.bind<Discovery>(TYPES.Discovery).toDynamicValue(() => new Discovery(ALL_RESOURCES));
  c.bind<OpenAPIService>(TYPES.OpenAPI).toDynamicValue(() => new OpenAPIService(ALL_RESOURCES));
  c.bind<Lifecycle>(TYPES.Lifecycle).toDynamicValue(async (ctx) => {
    const registry = await ctx.getAsync<Registry>(TYPES.Registry);
    const lifecycle = new Lifecycle(registry, logger, ctx.get<string>(TYPES.ExternalURL), { pause: lifecyclePauseFromEnv(process.env, logger) });
    lifecycle.workspaceInitializers.push(workspaceInitializer(registry));
    lifecycle.workspaceCreationHooks.push(recordWorkspaceOwner);
    return lifecycle;
  });
  c.bind<string>(TYPES.LoopbackToken).toConstantValue(newLoopbackToken());
  bindLeaderElection(c, { externalURL: TYPES.ExternalURL, loopbackToken: TYPES.LoopbackToken, servingMaterial: TYPES.ServingMaterial, logger: TYPES.Logger });
  bindSecurity(c, o, { registry: TYPES.Registry, adminToken: TYPES.AdminToken, authenticator: TYPES.Authenticator, loopbackToken: TYPES.LoopbackToken });
  const auditPath = o['audit-log-path'];
  if (auditPath) c.bind<AuditSink>(TYPES.Audit).toDynamicValue(() => new LogFileAuditSink(auditPath, logger));
  c.bind<APIServer>(TYPES.APIServer).toDynamicValue(async (ctx) => {
    const storage = await ctx.getAsync<Storage>(TYPES.Storage);
    const storageCheck: HealthCheck = { name: 'storage', check: async () => void (await storage.currentRevision()) };
    return new APIServer({
      registry: await ctx.getAsync<Registry>(TYPES.Registry),
      discovery: ctx.get<Discovery>(TYPES.Discovery),
      lifecycle: await ctx.getAsync<Lifecycle>(TYPES.Lifecycle),
      openapi: ctx.get<OpenAPIService>(TYPES.OpenAPI),
      authenticator: await ctx.getAsync<AuthenticatorChain>(TYPES.Authenticator),
      security: await ctx.getAsync<SecurityServices>(SECURITY_TYPES.Security),
      inflight: ctx.get<InflightLimits>(SECURITY_TYPES.Inflight),
      requestTimeoutMs: parseDuration(o['request-timeout'])!,
      ...(auditPath ? { audit: ctx.get<AuditSink>(TYPES.Audit) } : {}),
      logger,
      healthChecks: [{ name: 'ping', check: () => undefined }, storageCheck],
      readyChecks: ctx.get<HealthCheck[]>(TYPES.ReadyChecks),
      metrics: ctx.get<KplaneMetrics>(TYPES.Metrics).apiserver,
      serverAddress: new URL(ctx.get<string>(TYPES.ExternalURL)).host,
      ...(o.dashboard ? { dashboard: DashboardAssets.load() } : {}),
    });
  });
  c.bind<SecureServing>(TYPES.Serving).toDynamicValue(async (ctx) => {
    const m = ctx.get<ServingMaterial>(TYPES.ServingMaterial);
    const bodyTimeoutMs = parseDuration(o['request-body-timeout'])!;
    setBodyTimeout(bodyTimeoutMs);
    return new SecureServing(
      await ctx.getAsync<APIServer>(TYPES.APIServer),
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
      },
      logger,
    );
  });
  return c;
}
