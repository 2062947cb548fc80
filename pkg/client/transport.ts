// Transport: HTTPS requests to a kplane (or any Kubernetes) server with the TLS and
// credentials of a kubeconfig (@kubernetes/client-node's KubeConfig does the parsing and
// auth plumbing), over one keep-alive agent. Errors come back as StatusError: replies carry
// their metav1.Status; network failures become a transient ServiceUnavailable.
import { Agent, request, type RequestOptions } from 'node:https';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { reasonForCode, StatusError } from '../apierrors/errors.ts';
import { RequestAbortedError } from './errors.ts';

export interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface RequestSpec {
  method: string;
  /** Absolute path on the server, e.g. /clusters/root/apis/... (query in `query`). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Abort the request (and a watch stream). */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Extra request headers (e.g. Impersonate-User); a list sends the header once per value. */
  headers?: Record<string, string | string[]>;
}

export interface TransportOptions {
  userAgent: string;
  /** Default request timeout (not for watches); defaults to 30s. */
  timeoutMs?: number;
  /**
   * A path every request goes under, between the server and `/clusters/…`, e.g. a syncer
   * view root (`syncerViewPath(…)`): requests then go to `<server><pathPrefix>/clusters/<path>/…`.
   */
  pathPrefix?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * What a Transport needs of a kubeconfig: the current cluster's server and the TLS options and
 * headers of its credentials. @kubernetes/client-node's KubeConfig is one (any kubeconfig, exec
 * plugins included); BearerTokenConfig (token-config.ts) is the server's own, lighter one.
 */
export interface TransportConfig {
  getCurrentCluster(): { server: string } | null;
  applyToHTTPSOptions(opts: RequestOptions): Promise<void>;
  /**
   * A Unix socket that serves this server as plain HTTP (kplane's loopback socket,
   * pkg/server/loopback-socket.ts): requests go there, with the same headers and credentials,
   * and the server URL only names the Host.
   */
  readonly socketPath?: string | undefined;
}

export class Transport {
  /**
   * Server base URL without any /clusters/... path, e.g. https://127.0.0.1:6443, followed by
   * the kubeconfig's own path before /clusters (a proxy's) and then `pathPrefix`, if any.
   */
  readonly baseURL: URL;
  private readonly kubeconfig: TransportConfig;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly agent: Agent | HttpAgent;
  private readonly socketPath: string | undefined;
  private tlsOptions: Promise<RequestOptions> | undefined;

  constructor(kubeconfig: TransportConfig, opts: TransportOptions) {
    const cluster = kubeconfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const server = new URL(cluster.server);
    // kcp-style kubeconfigs point at /clusters/<path>; the cluster-aware client addresses
    // clusters itself, so keep only the origin (and any path before /clusters).
    const idx = server.pathname.indexOf('/clusters/');
    const kept = idx >= 0 ? server.pathname.slice(0, idx) : server.pathname.replace(/\/+$/, '');
    server.pathname = kept + normalisePathPrefix(opts.pathPrefix);
    this.baseURL = server;
    this.kubeconfig = kubeconfig;
    this.userAgent = opts.userAgent;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.socketPath = kubeconfig.socketPath;
    this.agent = server.protocol === 'https:' && this.socketPath === undefined
      ? new Agent({ keepAlive: true, maxSockets: 64 })
      : new HttpAgent({ keepAlive: true, maxSockets: 64 });
  }

  /** The logical cluster path named by the kubeconfig's server URL (default "root"). */
  static clusterFromKubeconfig(kubeconfig: TransportConfig): string | undefined {
    const server = kubeconfig.getCurrentCluster()?.server;
    if (!server) return undefined;
    const m = /\/clusters\/([^/]+)/.exec(new URL(server).pathname);
    return m ? decodeURIComponent(m[1]!) : undefined;
  }

  private options(): Promise<RequestOptions> {
    this.tlsOptions ??= (async () => {
      const o: RequestOptions = {};
      await this.kubeconfig.applyToHTTPSOptions(o);
      return o;
    })();
    return this.tlsOptions;
  }

  close(): void {
    this.agent.destroy();
  }

  private url(spec: RequestSpec): URL {
    const u = new URL(this.baseURL.toString());
    u.pathname = (this.baseURL.pathname === '/' ? '' : this.baseURL.pathname) + spec.path;
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    return u;
  }

  private async open(spec: RequestSpec, accept: string, timeoutMs: number | undefined): Promise<IncomingMessage> {
    const base = await this.options();
    const url = this.url(spec);
    const body = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    const headers: Record<string, string | string[] | number> = {
      ...(base.headers as Record<string, string>),
      ...spec.headers,
      Accept: accept,
      'User-Agent': this.userAgent,
    };
    if (body !== undefined) {
      headers['Content-Type'] = spec.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    // An aborted signal never starts a request (Node would open the socket first).
    if (spec.signal?.aborted) throw abortedError(spec);
    const common = { method: spec.method, headers, agent: this.agent, ...(spec.signal ? { signal: spec.signal } : {}) };
    return new Promise((resolve, reject) => {
      const req = this.socketPath !== undefined
        // The credentials' headers only: TLS options mean nothing on a plain Unix socket.
        ? httpRequest({ ...common, socketPath: this.socketPath, path: url.pathname + url.search, headers: { ...headers, Host: url.host } }, resolve)
        : (url.protocol === 'https:' ? request : httpRequest)(url, { ...base, ...common }, resolve);
      if (timeoutMs !== undefined) {
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`request timed out after ${timeoutMs}ms`)));
      }
      req.on('error', (err) => reject(networkError(spec, err)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  async do(spec: RequestSpec): Promise<RawResponse> {
    const res = await this.open(spec, 'application/json', spec.timeoutMs ?? this.timeoutMs);
    const chunks: Buffer[] = [];
    try {
      for await (const c of res) chunks.push(c as Buffer);
    } catch (err) {
      throw networkError(spec, err);
    }
    // Aborted after the last byte arrived: the caller has moved on, do not hand it a result.
    if (spec.signal?.aborted) throw abortedError(spec);
    const out: RawResponse = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
    if (out.status >= 400) throw statusErrorFrom(out);
    return out;
  }

  async json<T>(spec: RequestSpec): Promise<T> {
    const res = await this.do(spec);
    return (res.body ? JSON.parse(res.body) : undefined) as T;
  }

  /** Open a streaming request (watch) and yield each newline-delimited JSON document. */
  async *stream(spec: RequestSpec): AsyncGenerator<unknown> {
    const res = await this.open(spec, 'application/json', undefined);
    if ((res.statusCode ?? 0) >= 400) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw statusErrorFrom({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
    }
    const rl = createInterface({ input: res, crlfDelay: Infinity });
    try {
      for await (const line of rl) {
        if (line.trim() === '') continue;
        yield JSON.parse(line);
      }
    } catch (err) {
      if (spec.signal?.aborted) return;
      throw networkError(spec, err);
    } finally {
      rl.close();
      res.destroy();
    }
  }
}

/** '' or '/a/b' (leading slash, no trailing one); a prefix with a query or fragment is a caller bug. */
export function normalisePathPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || prefix === '/') return '';
  if (!prefix.startsWith('/')) throw new Error(`path prefix ${JSON.stringify(prefix)} must start with "/"`);
  if (/[?#]/.test(prefix)) throw new Error(`path prefix ${JSON.stringify(prefix)} must be a path only`);
  return prefix.replace(/\/+$/, '');
}

function abortedError(spec: RequestSpec, cause?: unknown): RequestAbortedError {
  return new RequestAbortedError(`${spec.method} ${spec.path}`, spec.signal?.reason ?? cause);
}

function networkError(spec: RequestSpec, err: unknown): unknown {
  if (err instanceof StatusError) return err;
  if (spec.signal?.aborted) return abortedError(spec, err);
  const e = new StatusError('ServiceUnavailable', `${spec.method} ${spec.path}: ${err instanceof Error ? err.message : String(err)}`);
  return Object.assign(e, { cause: err });
}

export function statusErrorFrom(res: RawResponse): StatusError {
  try {
    const parsed = JSON.parse(res.body) as { kind?: string };
    if (parsed.kind === "Status") return StatusError.fromStatus(parsed as Parameters<typeof StatusError.fromStatus>[0], res.status);
  } catch {
    // Not JSON: fall through to a generic error carrying the HTTP status.
  }
  return new StatusError(reasonForCode(res.status), `HTTP ${res.status}: ${res.body.slice(0, 200)}`, undefined, res.status);
}
