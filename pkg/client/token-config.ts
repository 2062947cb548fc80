// A connection to a known server with its CA and a bearer token, without a kubeconfig: how
// kplane's own server process reaches itself (the in-process controllers, leader election over
// the loopback identity). It applies exactly what KubeConfig.applyToHTTPSOptions applies for the
// equivalent kubeconfig (a cluster with certificate-authority-data, a user with a token): the CA
// and an Authorization header. The point is what it does not load: @kubernetes/client-node,
// whose generated API is ~80 MiB of RSS once imported (docs/design.md §11, memory), stays out of
// `kplane start`.
import type { RequestOptions } from 'node:https';
import type { TransportConfig } from './transport.ts';

export class BearerTokenConfig implements TransportConfig {
  private readonly server: string;
  private readonly ca: Buffer;
  private readonly token: string;
  /** The server's loopback socket, when the client runs in its process (transport.ts). */
  readonly socketPath: string | undefined;

  constructor(opts: { server: string; caPem: string; token: string; socketPath?: string | undefined }) {
    this.server = opts.server;
    this.ca = Buffer.from(opts.caPem);
    this.token = opts.token;
    this.socketPath = opts.socketPath;
  }

  getCurrentCluster(): { server: string } {
    return { server: this.server };
  }

  applyToHTTPSOptions(opts: RequestOptions): Promise<void> {
    opts.ca = this.ca;
    opts.headers = { ...opts.headers, Authorization: `Bearer ${this.token}` };
    return Promise.resolve();
  }
}
