// APIServer is the request pipeline of kplane's Kubernetes-compatible API:
//   parse path (/clusters/<path>/…) → authenticate → route (health, version, discovery,
//   OpenAPI, resources) → logical cluster must exist → handler → one log line.
// Every failure becomes a metav1.Status; an unexpected exception is a logged 500, never a crash.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newMethodNotAllowed, StatusError } from '../apierrors/errors.ts';
import type { Logger } from '../log/logger.ts';
import { errorFields } from '../log/errors.ts';
import { ANONYMOUS, type AuthenticatorChain } from './authn/authenticator.ts';
import type { SecurityServices } from './authz/services.ts';
import type { PerClientInflightLimiter } from './filters/inflight.ts';
import type { RequestMetrics } from './filters/metrics.ts';
import { aggregatedContentType, type Discovery } from './discovery.ts';
import { dispatchResource } from './handlers/dispatch.ts';
import { EMPTY_CRD_LIST, isCRDListRequest } from './handlers/no-crds.ts';
import type { HandlerContext, UserInfo } from './handlers/context.ts';
import { type HealthCheck, serveHealth } from './health.ts';
import { acceptedForm } from './httpx/negotiate.ts';
import { toStatusError, writeError, writeJSON } from './httpx/respond.ts';
import type { Lifecycle } from './lifecycle.ts';
import { type OpenAPIService, serveOpenAPIV2 } from './openapi/index.ts';
import type { Registry } from './registry/registry.ts';
import { parseRequestInfo, type RequestInfo } from './request/requestinfo.ts';
import { versionInfo } from './version.ts';

export interface APIServerDeps {
  registry: Registry;
  discovery: Discovery;
  lifecycle: Lifecycle;
  openapi: OpenAPIService;
  authenticator: AuthenticatorChain;
  /** Authorization (RBAC) and token minting; without it every authenticated user may do anything. */
  security?: SecurityServices;
  /** Per-client concurrency limit (429 + Retry-After); watches are exempt. */
  inflight?: PerClientInflightLimiter;
  logger: Logger;
  healthChecks: HealthCheck[];
  readyChecks: HealthCheck[];
  /** Request metrics and the /metrics endpoint (authenticated, RBAC `get` on /metrics). */
  metrics?: RequestMetrics;
  /** host:port clients use, for legacy discovery's serverAddressByClientCIDRs. */
  serverAddress: string;
  now?: () => number;
}

/** Paths anyone may read without credentials (kube's system:public-info-viewer). */
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export class APIServer {
  private readonly deps: APIServerDeps;
  private readonly now: () => number;
  private readonly shutdownController = new AbortController();

  constructor(deps: APIServerDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /** Ends watches (each gets a clean end of stream) when the server shuts down. */
  beginShutdown(): void {
    this.shutdownController.abort();
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const start = process.hrtime.bigint();
    let user: UserInfo | undefined;
    let info: RequestInfo | undefined;
    let release: (() => void) | undefined;
    let endMetrics: ((code: number) => void) | undefined;
    try {
      const url = new URL(req.url ?? '/', 'https://kplane.invalid');
      info = parseRequestInfo(req.method ?? 'GET', url);
      endMetrics = this.deps.metrics?.begin(info, req.method ?? 'GET');
      const basePath = info.path.replace(/\/+$/, '') || '/';
      const isPublic = PUBLIC_PATHS.has(basePath.split('/').slice(0, 2).join('/')) && !info.isResourceRequest;
      const auth = await this.deps.authenticator.authenticate(req);
      if ('error' in auth) throw new StatusError('Unauthorized', 'Unauthorized');
      if ('user' in auth) user = auth.user;
      else if (!isPublic) throw new StatusError('Unauthorized', 'Unauthorized');
      if (this.deps.security) await this.deps.security.authorizer.authorize(user ?? ANONYMOUS, info, url);
      if (this.deps.inflight && !(info.isResourceRequest && info.verb === 'watch')) {
        release = this.deps.inflight.acquire(user?.username ?? `ip:${req.socket.remoteAddress ?? ''}`);
      }

      if (!info.isResourceRequest) {
        await this.serveNonResource(req, res, url, info.path, info.cluster, info.wildcard);
        return;
      }
      if (!info.wildcard) await this.deps.lifecycle.requireCluster(info.cluster);
      const store = this.deps.registry.lookup(info.group, info.version, info.resource);
      if (!store && isCRDListRequest(info)) return writeJSON(res, 200, EMPTY_CRD_LIST);
      if (!store || (store.def.namespaced === false && info.namespace !== '' && info.resource !== 'namespaces')) {
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
        user: user!,
        security: this.deps.security,
        logger: this.deps.logger,
        now: this.now,
        shutdown: this.shutdownController.signal,
      };
      await dispatchResource(ctx);
    } catch (err) {
      const se = toStatusError(err);
      if (se.code >= 500) this.deps.logger.error('request failed', { path: req.url, ...errorFields(err) });
      writeError(res, se);
    } finally {
      release?.();
      (endMetrics ?? this.deps.metrics?.begin(undefined, req.method ?? 'GET'))?.(res.statusCode);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      this.deps.logger.info('request', {
        user: user?.username ?? 'system:anonymous',
        verb: info?.verb ?? req.method,
        path: (req.url ?? '').split('?')[0],
        code: res.statusCode,
        latencyMs: Math.round(ms * 100) / 100,
      });
    }
  };

  private async serveNonResource(req: IncomingMessage, res: ServerResponse, url: URL, path: string, cluster: string, wildcard: boolean): Promise<void> {
    const method = req.method ?? 'GET';
    const p = path.replace(/\/+$/, '') || '/';
    const top = p.split('/')[1] ?? '';
    if (top === 'healthz' || top === 'livez') return serveHealth(res, top, this.deps.healthChecks, url);
    if (top === 'readyz') return serveHealth(res, top, [...this.deps.healthChecks, ...this.deps.readyChecks], url);
    if (method !== 'GET' && method !== 'HEAD') throw newMethodNotAllowed(`${method} is not allowed on ${p}`);
    if (p === '/version') return writeJSON(res, 200, versionInfo());
    // Process-wide numbers: only through the root workspace's RBAC, never a tenant's.
    if (p === '/metrics' && this.deps.metrics && cluster === 'root' && !wildcard) return this.deps.metrics.serve(res);
    if (!wildcard && (top === 'api' || top === 'apis')) await this.deps.lifecycle.requireCluster(cluster);
    const { discovery } = this.deps;
    const form = acceptedForm(req.headers.accept);
    if (p === '/api' || p === '/apis') {
      if (form.aggregatedDiscovery) {
        return writeJSON(res, 200, discovery.aggregated(p === '/api', form.aggregatedDiscovery), aggregatedContentType(form.aggregatedDiscovery));
      }
      return writeJSON(res, 200, p === '/api' ? discovery.legacyAPIVersions(this.deps.serverAddress) : discovery.legacyGroupList());
    }
    const parts = p.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts.length === 2) {
      const list = discovery.resourceList('', parts[1]!);
      if (list) return writeJSON(res, 200, list);
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = discovery.legacyGroup(parts[1]!);
      if (g) return writeJSON(res, 200, g);
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const list = discovery.resourceList(parts[1]!, parts[2]!);
      if (list) return writeJSON(res, 200, list);
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
