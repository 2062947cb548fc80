// APIServer is kplane's Kubernetes-compatible API: the filter chain (filters/chain.ts:
// request info, audit, metrics, recovery, timeout, authentication, in-flight limits,
// impersonation, authorization) in front of the routing below (health, version, discovery,
// OpenAPI, resources → the logical cluster must exist → handler). Requests under a syncer
// view root (pkg/server/syncerview) take the same route, narrowed by the view's rules and its
// ObjectView (handlers/view.ts).
// Every failure becomes a metav1.Status; an unexpected exception is a logged 500, never a crash.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newMethodNotAllowed, StatusError } from '../apierrors/errors.ts';
import type { Logger } from '../log/logger.ts';
import { errorFields } from '../log/errors.ts';
import type { AuthenticatorChain } from './authn/authenticator.ts';
import type { AuditSink } from './audit/sink.ts';
import { type DashboardAssets, isDashboardRequest, serveDashboard } from './dashboard/handler.ts';
import type { SecurityServices } from './authz/services.ts';
import { buildHandlerChain } from './filters/chain.ts';
import type { AuthenticatedContext, Handler, RequestContext } from './filters/context.ts';
import type { InflightLimits } from './filters/inflight.ts';
import type { RequestMetrics } from './filters/metrics.ts';
import { aggregatedContentType, type Discovery } from './discovery.ts';
import { dispatchResource } from './handlers/dispatch.ts';
import type { HandlerContext } from './handlers/context.ts';
import { type HealthCheck, serveHealth } from './health.ts';
import { acceptedForm, parseAccept } from './httpx/negotiate.ts';
import { writeJSON } from './httpx/respond.ts';
import { EMPTY_CRD_LIST, isCRDListRequest } from './handlers/no-crds.ts';
import type { Lifecycle } from './lifecycle.ts';
import { type OpenAPIService, serveOpenAPIV2 } from './openapi/index.ts';
import type { Registry } from './registry/registry.ts';
import { SyncerViewAuthorizer, syncTargetFacts } from './syncerview/authorizer.ts';
import { narrowDiscovery } from './syncerview/discovery.ts';
import { checkSyncerViewRequest } from './syncerview/rules.ts';
import { syncerObjectView } from './syncerview/view.ts';
import { versionInfo } from './version.ts';
import { toSyncTargetKey } from '../../apis/workload/v1alpha1/synctargetkey.ts';
import { SyncTargetResource } from '../../apis/workload/v1alpha1/synctarget.ts';

export interface APIServerDeps {
  registry: Registry;
  discovery: Discovery;
  lifecycle: Lifecycle;
  openapi: OpenAPIService;
  authenticator: AuthenticatorChain;
  /** Authorization (RBAC) and token minting. */
  security: SecurityServices;
  /** Global and per-client concurrency limits (429 + Retry-After); watches are exempt. */
  inflight: InflightLimits;
  /** The request timeout (504) and cap for ?timeout=; defaults to 60 s. */
  requestTimeoutMs?: number;
  /** The audit log (--audit-log-path); absent: no audit events are written. */
  audit?: AuditSink;
  logger: Logger;
  healthChecks: HealthCheck[];
  readyChecks: HealthCheck[];
  /** Request metrics and the /metrics endpoint (authenticated, RBAC `get` on /metrics). */
  metrics?: RequestMetrics;
  /** host:port clients use, for legacy discovery's serverAddressByClientCIDRs. */
  serverAddress: string;
  /** The fleet dashboard's files at /dashboard/; absent: 404 there. */
  dashboard?: DashboardAssets;
  now?: () => number;
}

export class APIServer {
  private readonly deps: APIServerDeps;
  private readonly now: () => number;
  private readonly shutdownController = new AbortController();
  private readonly chain: Handler<RequestContext>;

  constructor(deps: APIServerDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.chain = buildHandlerChain(this.serve, {
      logger: deps.logger,
      authenticator: deps.authenticator,
      authorizer: deps.security.authorizer,
      syncerView: syncerViewAuthorizer(deps.registry),
      inflight: deps.inflight,
      requestTimeoutMs: deps.requestTimeoutMs,
      metrics: deps.metrics,
      audit: deps.audit,
    });
  }

  /** Ends watches (each gets a clean end of stream) when the server shuts down. */
  beginShutdown(): void {
    this.shutdownController.abort();
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await this.chain({ req, res, receivedAt: this.now(), startedAt: process.hrtime.bigint() });
    } catch (err) {
      // Only a defect in an observer (log, audit, metrics) gets here: errors of the request
      // itself were answered by the recovery filter.
      this.deps.logger.error('request chain failed', { path: req.url, ...errorFields(err) });
      res.destroy();
    }
  };

  /** The innermost handler: route an authenticated, authorised request. */
  private readonly serve = async (c: AuthenticatedContext): Promise<void> => {
    const { req, res, url, info } = c;
    if (info.view) checkSyncerViewRequest(info);
    if (!info.isResourceRequest) {
      await this.serveNonResource(req, res, url, info.path, info.cluster, info.wildcard, info.view !== undefined);
      return;
    }
    // Under a syncer view every workspace path is served and shows only what is placed there,
    // so the view answers an unknown workspace like one with nothing placed: no existence oracle.
    if (!info.wildcard && !info.view) await this.deps.lifecycle.requireCluster(info.cluster);
    const store = this.deps.registry.lookup(info.group, info.version, info.resource);
    if (!store && isCRDListRequest(info)) return writeJSON(res, 200, EMPTY_CRD_LIST);
    if (!store || (store.def.namespaced === false && info.namespace !== '')) {
      throw new StatusError('NotFound', 'the server could not find the requested resource', {});
    }
    const ctx: HandlerContext = {
      req,
      res,
      url,
      info,
      def: store.def,
      store,
      registry: this.deps.registry,
      lifecycle: this.deps.lifecycle,
      user: c.user,
      security: this.deps.security,
      logger: this.deps.logger,
      now: this.now,
      signal: c.signal,
      shutdown: this.shutdownController.signal,
    };
    if (info.view) ctx.view = syncerObjectView(toSyncTargetKey(info.view.workspace, info.view.syncTarget), { group: store.def.group, plural: store.def.plural });
    await dispatchResource(ctx);
  };

  /** `inView`: under a syncer view (only discovery gets here then, narrowed to what the view serves). */
  private async serveNonResource(req: IncomingMessage, res: ServerResponse, url: URL, path: string, cluster: string, wildcard: boolean, inView: boolean): Promise<void> {
    const method = req.method ?? 'GET';
    const p = path.replace(/\/+$/, '') || '/';
    const top = p.split('/')[1] ?? '';
    if (top === 'healthz' || top === 'livez') return serveHealth(res, top, this.deps.healthChecks, url);
    if (top === 'readyz') return serveHealth(res, top, [...this.deps.healthChecks, ...this.deps.readyChecks], url);
    // Only the unprefixed path: /clusters/<any>/dashboard/ is not the page (a 404 below).
    if (this.deps.dashboard && isDashboardRequest(url.pathname)) return serveDashboard(req, res, url, this.deps.dashboard);
    if (method !== 'GET' && method !== 'HEAD') throw newMethodNotAllowed(`${method} is not allowed on ${p}`);
    if (p === '/version') return writeJSON(res, 200, versionInfo());
    // Process-wide numbers: only through the root workspace's RBAC, never a tenant's.
    if (p === '/metrics' && this.deps.metrics && cluster === 'root' && !wildcard) return this.deps.metrics.serve(res);
    if (!wildcard && !inView && (top === 'api' || top === 'apis')) await this.deps.lifecycle.requireCluster(cluster);
    const { discovery } = this.deps;
    const form = acceptedForm(req.headers.accept);
    const shown = inView ? narrowDiscovery : (doc: object) => doc;
    if (p === '/api' || p === '/apis') {
      if (form.aggregatedDiscovery) {
        return writeJSON(res, 200, shown(discovery.aggregated(p === '/api', form.aggregatedDiscovery)), aggregatedContentType(form.aggregatedDiscovery));
      }
      return writeJSON(res, 200, p === '/api' ? discovery.legacyAPIVersions(this.deps.serverAddress) : discovery.legacyGroupList());
    }
    const parts = p.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts.length === 2) {
      const list = discovery.resourceList('', parts[1]!);
      if (list) return writeJSON(res, 200, shown(list));
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = discovery.legacyGroup(parts[1]!);
      if (g) return writeJSON(res, 200, g);
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const list = discovery.resourceList(parts[1]!, parts[2]!);
      if (list) return writeJSON(res, 200, shown(list));
    }
    if (parts[0] === 'openapi') return this.serveOpenAPI(req, res, url, parts);
    throw new StatusError('NotFound', 'the server could not find the requested resource', {});
  }

  private serveOpenAPI(req: IncomingMessage, res: ServerResponse, url: URL, parts: string[]): void {
    const { openapi } = this.deps;
    if (parts[1] === 'v2' && parts.length === 2) return serveOpenAPIV2(req.headers.accept, res, openapi);
    if (parts[1] === 'v3' && parts.length === 2) return writeRaw(res, openapi.v3Root().body);
    if (parts[1] === 'v3') {
      const gvPath = parts.slice(2).join('/');
      const doc = openapi.v3GroupVersion(gvPath);
      if (!doc) throw new StatusError('NotFound', 'the server could not find the requested resource', {});
      const hash = url.searchParams.get('hash');
      if (hash && hash !== doc.hash) {
        res.statusCode = 301;
        res.setHeader('Location', `${url.pathname}?hash=${doc.hash}`);
        res.end();
        return;
      }
      res.setHeader('ETag', `"${doc.hash}"`);
      res.setHeader('Vary', 'Accept');
      if (hash) {
        res.setHeader('Cache-Control', 'public, immutable');
        res.setHeader('Expires', new Date(this.now() + 365 * 24 * 3600_000).toUTCString());
      } else {
        res.setHeader('Cache-Control', 'no-cache, private');
      }
      return writeRaw(res, doc.body);
    }
    throw new StatusError('NotFound', 'the server could not find the requested resource', {});
  }
}

function writeRaw(res: ServerResponse, body: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** The syncer views' authorizer, reading SyncTargets from the registry; none if they are not served. */
function syncerViewAuthorizer(registry: Registry): SyncerViewAuthorizer | undefined {
  const store = registry.lookup(SyncTargetResource.group, SyncTargetResource.version, SyncTargetResource.plural);
  if (!store) return undefined;
  return new SyncerViewAuthorizer(async (workspace, name) => {
    const st = await store.tryGet(workspace, '', name);
    return st && syncTargetFacts(st);
  });
}
