// A small HTTPS client for the plugin, configured from a kubeconfig's cluster and user
// (CA, insecure-skip-tls-verify, bearer token or token file, client certificate).
import { readFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import type { ClusterEntry, UserEntry } from './kubeconfig.ts';

export interface Reply {
  status: number;
  body: unknown;
  text: string;
}

export class PluginClient {
  private readonly base: string;
  private readonly tls: RequestOptions;
  private readonly token: string | undefined;

  constructor(base: string, cluster: ClusterEntry, user: UserEntry) {
    this.base = base;
    const fromData = (d: string | undefined) => (d ? Buffer.from(d, 'base64') : undefined);
    const fromFile = (f: string | undefined) => (f ? readFileSync(f) : undefined);
    this.tls = {
      ca: fromData(cluster['certificate-authority-data']) ?? fromFile(cluster['certificate-authority']),
      rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
      cert: fromData(user['client-certificate-data']) ?? fromFile(user['client-certificate']),
      key: fromData(user['client-key-data']) ?? fromFile(user['client-key']),
    };
    this.token = user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
  }

  do(method: string, path: string, body?: unknown): Promise<Reply> {
    const url = new URL(this.base + path);
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'kubectl-ws/kplane' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    return new Promise((resolve, reject) => {
      const req = request(url, { ...this.tls, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/** The server's own message for a failed reply (a metav1.Status), or the HTTP code. */
export function replyError(r: Reply): string {
  const msg = (r.body as { message?: unknown } | undefined)?.message;
  return typeof msg === 'string' ? msg : `HTTP ${r.status}`;
}
