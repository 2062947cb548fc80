// A tiny HTTPS client for tests that talks to kplane directly (no kubectl), trusting its CA.
import { request } from 'node:https';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary JSON shapes
}

export interface HttpOptions {
  method?: string;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  token?: string | null;
}

export class TestClient {
  readonly base: string;
  readonly ca: string;
  readonly token: string | undefined;

  constructor(base: string, ca: string, token?: string) {
    this.base = base;
    this.ca = ca;
    this.token = token;
  }

  withToken(token: string | undefined): TestClient {
    return new TestClient(this.base, this.ca, token);
  }

  async do(path: string, opts: HttpOptions = {}): Promise<HttpResponse> {
    const url = new URL(path, this.base);
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
    const token = opts.token === null ? undefined : (opts.token ?? this.token);
    if (token) headers.Authorization = `Bearer ${token}`;
    return new Promise((resolve, reject) => {
      const req = request(url, { method: opts.method ?? 'GET', headers, ca: this.ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  get(path: string, opts: HttpOptions = {}) {
    return this.do(path, { ...opts, method: 'GET' });
  }
  post(path: string, body: unknown, opts: HttpOptions = {}) {
    return this.do(path, { ...opts, method: 'POST', body });
  }
  put(path: string, body: unknown, opts: HttpOptions = {}) {
    return this.do(path, { ...opts, method: 'PUT', body });
  }
  patch(path: string, body: unknown, contentType: string, opts: HttpOptions = {}) {
    return this.do(path, { ...opts, method: 'PATCH', body, contentType });
  }
  delete(path: string, opts: HttpOptions = {}) {
    return this.do(path, { ...opts, method: 'DELETE' });
  }
}
