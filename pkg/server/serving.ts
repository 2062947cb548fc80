// SecureServing runs an APIServer on HTTPS (TLS 1.2+) with the CA and serving certificate
// from pkg/certs, and shuts it down gracefully: stop accepting, end watches, drain.
//
// It also bounds what a hostile client can hold at the connection level (docs/security.md,
// "Availability"): a global connection cap, a per-address connection cap, handshake, header
// and request-receipt timeouts, and the lingering close of unread bodies (httpx/linger.ts).
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log/logger.ts';
import type { APIServer } from './server.ts';
import { answerClientError } from './filters/clienterror.ts';
import { availabilityMetrics } from './httpx/availability-metrics.ts';
import { DEFAULT_LINGER, type LingerOptions, lingerUnreadBody } from './httpx/linger.ts';

export interface ConnectionLimits {
  /** Open connections in total; beyond it new connections are closed at once. */
  maxConnections: number;
  /** Open connections from one remote address. */
  maxConnectionsPerIP: number;
  /**
   * Time to receive a whole request (headers and body; a watch's request is complete once its
   * headers are in, so this never ends a watch). Backstop behind the handlers' body deadline.
   */
  requestTimeoutMs: number;
  /** Time to receive the request headers (slowloris). */
  headersTimeoutMs: number;
  /** Time for the TLS handshake. */
  handshakeTimeoutMs: number;
  linger: LingerOptions;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 8192,
  maxConnectionsPerIP: 1024,
  requestTimeoutMs: 60_000,
  headersTimeoutMs: 30_000,
  handshakeTimeoutMs: 10_000,
  linger: DEFAULT_LINGER,
};

export interface ServingOptions {
  bindAddress: string;
  port: number;
  certPem: string;
  keyPem: string;
  caPem: string;
  limits?: Partial<ConnectionLimits>;
  /**
   * Also serve plain HTTP on this Unix socket (loopback-socket.ts): the same handler chain,
   * authentication included, for the server's own controllers. Absent: HTTPS only.
   */
  loopbackSocket?: string;
}

export class SecureServing {
  private readonly server: Server;
  private readonly loopback: HttpServer | undefined;
  private readonly api: APIServer;
  private readonly logger: Logger;
  private readonly opts: ServingOptions;
  private readonly limits: ConnectionLimits;
  private readonly sockets = new Set<Socket>();
  private readonly perIP = new Map<string, number>();

  constructor(api: APIServer, opts: ServingOptions, logger: Logger) {
    this.api = api;
    this.opts = opts;
    this.logger = logger;
    const limits = { ...DEFAULT_CONNECTION_LIMITS, ...opts.limits };
    limits.linger = { ...limits.linger, onCut: (why) => availabilityMetrics().connectionClosed(why === 'bytes' ? 'linger_bytes' : 'linger_deadline') };
    this.limits = limits;
    this.server = createServer(
      {
        cert: opts.certPem,
        key: opts.keyPem,
        ca: opts.caPem,
        minVersion: 'TLSv1.2',
        // Client certificates are optional: they are one way to authenticate.
        requestCert: true,
        rejectUnauthorized: false,
        handshakeTimeout: limits.handshakeTimeoutMs,
      },
      this.serve,
    );
    this.bound(this.server, 'HTTP client error');
    this.server.on('connection', (s: Socket) => this.admit(s));
    this.server.prependListener('secureConnection', (s: Socket) => keepParserOffTheHandle(s));
    this.server.on('drop', (d?: { remoteAddress?: string }) => {
      availabilityMetrics().connectionClosed('max_connections');
      this.logger.debug('connection dropped: too many connections', { remote: d?.remoteAddress });
    });
    this.server.on('tlsClientError', (err) => this.logger.debug('TLS handshake failed', { err: err.message }));
    this.loopback = opts.loopbackSocket === undefined ? undefined : this.loopbackServer();
  }

  /** Every request, on either listener: the body's lingering close, then the API server. */
  private readonly serve = (req: IncomingMessage, res: ServerResponse): void => {
    lingerUnreadBody(req, res, this.limits.linger);
    void this.api.handle(req, res);
  };

  /**
   * The bounds both listeners keep. Slow clients (slowloris) must not hold sockets forever;
   * requestTimeout covers receiving the request only, so long-running watches are not affected
   * by it. Malformed HTTP is answered with a Status.
   */
  private bound(server: Server | HttpServer, clientErrorLog: string): void {
    server.headersTimeout = this.limits.headersTimeoutMs;
    server.requestTimeout = this.limits.requestTimeoutMs;
    server.keepAliveTimeout = 65_000;
    server.maxConnections = this.limits.maxConnections;
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      this.logger.debug(clientErrorLog, { code: err.code, err: err.message });
      answerClientError(err, socket);
    });
  }

  /**
   * The loopback listener: no TLS (the kernel carries the bytes between two threads of this
   * process, so there is nobody to encrypt against), so neither end pays for it on each of
   * the controllers' requests, and Node's parser reads the socket's handle directly. Not
   * counted per address (a Unix socket has none); a connection cap of the same size, its own,
   * and the same timeouts hold.
   */
  private loopbackServer(): HttpServer {
    const server = createHttpServer(this.serve);
    this.bound(server, 'HTTP client error on the loopback socket');
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    return server;
  }

  /** Count a new TCP connection against its address; refuse (close) it beyond the cap. */
  private admit(s: Socket): void {
    const ip = s.remoteAddress ?? '';
    const n = (this.perIP.get(ip) ?? 0) + 1;
    if (n > this.limits.maxConnectionsPerIP) {
      availabilityMetrics().connectionClosed('per_ip_limit');
      this.logger.debug('connection refused: too many connections from one address', { remote: ip });
      s.destroy();
      return;
    }
    this.perIP.set(ip, n);
    this.sockets.add(s);
    s.once('close', () => {
      this.sockets.delete(s);
      const left = (this.perIP.get(ip) ?? 1) - 1;
      if (left <= 0) this.perIP.delete(ip);
      else this.perIP.set(ip, left);
    });
  }

  /** Open connections (tests, metrics). */
  connections(): number {
    return this.sockets.size;
  }

  async listen(): Promise<{ address: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.bindAddress, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('server has no TCP address');
    if (this.loopback && this.opts.loopbackSocket !== undefined) await listenOn(this.loopback, this.opts.loopbackSocket);
    return { address: addr.address, port: addr.port };
  }

  /** Stop accepting, end watch streams, wait up to `graceMs` for in-flight requests, then cut. */
  async close(graceMs = 3000): Promise<void> {
    this.api.beginShutdown();
    const closed = Promise.all([this.server, ...(this.loopback?.listening ? [this.loopback] : [])].map(
      (server) => new Promise<void>((resolve) => server.close(() => resolve())),
    ));
    this.server.closeIdleConnections();
    this.loopback?.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, graceMs);
    await closed;
    clearTimeout(timer);
  }
}

function listenOn(server: HttpServer, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Node's HTTP server normally feeds a TLS socket's stream handle straight into its parser and,
 * under write backpressure, pauses that parser while decrypted bytes can still arrive: the
 * next request on a keep-alive connection (typically right after a large response) then fails
 * with HPE_PAUSED and the client gets a reset. Marking the handle as taken makes the server use
 * the socket's 'data' events instead, where pausing is honoured.
 */
function keepParserOffTheHandle(s: Socket): void {
  const handle = (s as Socket & { _handle?: { _consumed?: boolean } | null })._handle;
  if (handle) handle._consumed = true;
}
