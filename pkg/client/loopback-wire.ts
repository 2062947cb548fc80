// The wire of a client that runs inside kplane's own process (the in-process controllers):
// plain HTTP/1.1 on the server's loopback Unix socket, over undici's connection pool instead
// of node:http. Every request of a reconcile goes this way, and node:http's client (a
// ClientRequest, an agent's socket bookkeeping and an IncomingMessage stream per request) was
// most of the controllers' thread during a bulk create; undici's pool does the same exchange
// for about half the CPU. Only this path uses it: a kubeconfig's TLS, exec plugins and proxies
// stay on node:https, which @kubernetes/client-node configures (transport.ts).
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Pool } from 'undici';

/** What a transport needs of a reply: code, headers, and the body as a byte stream. */
export interface WireResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Readable;
}

export interface WireRequest {
  method: string;
  /** Path and query, e.g. /clusters/root/api/v1/namespaces?limit=5 */
  path: string;
  headers: Record<string, string | string[] | number>;
  body: string | undefined;
  signal: AbortSignal | undefined;
  /** Idle limit for the reply's headers and for each gap in its body; undefined: none (watches). */
  timeoutMs: number | undefined;
}

export class LoopbackWire {
  readonly #pool: Pool;
  readonly #host: string;

  /** `host` is what the Host header names (the server URL's host), as on the TLS port. */
  constructor(socketPath: string, host: string, connections: number) {
    this.#host = host;
    // The origin only names the scheme: every connection goes to socketPath.
    this.#pool = new Pool('http://localhost', { socketPath, connections, pipelining: 1 });
  }

  async request(r: WireRequest): Promise<WireResponse> {
    const headers: Record<string, string | string[]> = { host: this.#host };
    for (const [k, v] of Object.entries(r.headers)) headers[k] = typeof v === 'number' ? String(v) : v;
    const res = await this.#pool.request({
      method: r.method as 'GET',
      path: r.path,
      headers,
      body: r.body ?? null,
      signal: r.signal ?? null,
      // 0 disables undici's own 300 s defaults, which would cut a quiet watch.
      headersTimeout: r.timeoutMs ?? 0,
      bodyTimeout: r.timeoutMs ?? 0,
    });
    return { statusCode: res.statusCode, headers: res.headers as IncomingHttpHeaders, body: res.body };
  }

  close(): void {
    // Destroy, not close: a watch stream still open would keep close() waiting forever.
    this.#pool.destroy().catch(() => {
      // Already destroyed, or a socket failed while closing: nothing is waiting on it.
    });
  }
}
