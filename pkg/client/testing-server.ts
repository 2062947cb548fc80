// Test helper: an HTTP server that accepts requests and never answers them (a stalled API
// server), to show that aborts cut requests off. Used by unit tests only.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient } from './clusterclient.ts';

export interface Stalling {
  server: Server;
  url: string;
  /** Resolves with the next request the server receives (it is never answered). */
  nextRequest(): Promise<IncomingMessage>;
}

export async function stallingServer(): Promise<Stalling> {
  const waiting: ((r: IncomingMessage) => void)[] = [];
  const queued: IncomingMessage[] = [];
  const server = createServer((req) => {
    req.resume();
    const w = waiting.shift();
    if (w) w(req);
    else queued.push(req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    nextRequest: () => {
      const q = queued.shift();
      return q ? Promise.resolve(q) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** A kubeconfig for a plain-HTTP test server. */
export function kubeconfigFor(url: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

/** A client for a test server, with a request timeout far beyond any test. */
export function clientFor(url: string): ClusterClient {
  return new ClusterClient(kubeconfigFor(url), { component: 'abort-test', timeoutMs: 600_000 });
}
