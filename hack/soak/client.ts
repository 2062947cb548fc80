// The well-behaved HTTPS client of the soak: one keep-alive agent, a per-request timeout,
// and an answer that is always a status (0 = transport failure or timeout), never a throw —
// a hostile run must count errors, not stop on the first one.
import { Agent, request } from 'node:https';

export interface Target {
  /** https://127.0.0.1:<port> */
  url: string;
  /** CA bundle of the server; undefined = do not verify (an attacker would not either). */
  ca: string | undefined;
}

export interface Reply {
  status: number;
  text: string;
  /** Why the request failed without a status (timeout, reset, …). */
  error?: string;
}

export interface CallOptions {
  method?: string;
  body?: string | Buffer;
  contentType?: string;
  token?: string | undefined;
  timeoutMs?: number;
}

/** Loopback only: the soak must never send hostile traffic anywhere else. */
export function requireLoopback(url: string): URL {
  const u = new URL(url);
  if (u.protocol !== 'https:' || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    throw new Error(`the soak only targets https://127.0.0.1 (or localhost/[::1]), not ${url}`);
  }
  return u;
}

export class SoakClient {
  private readonly target: Target;
  private readonly agent: Agent;

  constructor(target: Target, maxSockets = 16) {
    this.target = target;
    this.agent = new Agent({ keepAlive: true, maxSockets, ...(target.ca ? { ca: target.ca } : { rejectUnauthorized: false }) });
  }

  call(path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    return new Promise((resolve) => {
      let settled = false;
      const done = (r: Reply) => {
        if (settled) return;
        settled = true;
        resolve(r);
      };
      const req = request(new URL(path, this.target.url), { method: opts.method ?? 'GET', headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => done({ status: 0, text: '', error: e.message }));
      });
      req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error('timeout')));
      req.on('error', (e) => done({ status: 0, text: '', error: e.message }));
      req.end(opts.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
