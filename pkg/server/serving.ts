// SecureServing runs an APIServer on HTTPS (TLS 1.2+) with the CA and serving certificate
// from pkg/certs, and shuts it down gracefully: stop accepting, end watches, drain.
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { Logger } from '../log/logger.ts';
import type { APIServer } from './server.ts';
import { answerClientError } from './filters/clienterror.ts';

export interface ServingOptions {
  bindAddress: string;
  port: number;
  certPem: string;
  keyPem: string;
  caPem: string;
}

export class SecureServing {
  private readonly server: Server;
  private readonly api: APIServer;
  private readonly logger: Logger;
  private readonly opts: ServingOptions;
  private readonly sockets = new Set<Socket>();

  constructor(api: APIServer, opts: ServingOptions, logger: Logger) {
    this.api = api;
    this.opts = opts;
    this.logger = logger;
    this.server = createServer(
      {
        cert: opts.certPem,
        key: opts.keyPem,
        ca: opts.caPem,
        minVersion: 'TLSv1.2',
        // Client certificates are optional: they are one way to authenticate.
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => void api.handle(req, res),
    );
    // Slow clients (slowloris) must not hold sockets forever.
    this.server.headersTimeout = 30_000;
    this.server.requestTimeout = 0; // watches are long-lived; bodies are bounded by size instead
    this.server.keepAliveTimeout = 65_000;
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('tlsClientError', (err) => this.logger.debug('TLS handshake failed', { err: err.message }));
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket));
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
    return { address: addr.address, port: addr.port };
  }

  /** Stop accepting, end watch streams, wait up to `graceMs` for in-flight requests, then cut. */
  async close(graceMs = 3000): Promise<void> {
    this.api.beginShutdown();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, graceMs);
    await closed;
    clearTimeout(timer);
  }
}
