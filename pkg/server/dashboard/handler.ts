// The fleet dashboard's static files at /dashboard/. They are public like a login page: they
// hold no data and no secret, and every byte of fleet data the page shows is fetched by the
// browser through the ordinary API with the user's own bearer token, so RBAC decides what it
// sees (docs/security.md). This handler therefore only has to serve a fixed set of files safely:
//   - an allow-list of file names (no path is ever joined to a directory: no traversal),
//   - read once at start (the disk is not consulted per request),
//   - GET and HEAD only (405 with Allow otherwise),
//   - a strict Content-Security-Policy (no inline script or style, connections to this origin
//     only), nosniff, no framing, no referrer, and revalidation through an ETag.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The URL prefix; `/dashboard` without the slash redirects here. */
export const DASHBOARD_PATH = '/dashboard/';

/** Served file name → Content-Type. Nothing outside this table is ever served. */
export const DASHBOARD_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'jsonlines.js': 'text/javascript; charset=utf-8',
  'fleet.js': 'text/javascript; charset=utf-8',
  'view.js': 'text/javascript; charset=utf-8',
  'format.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * `'self'` everywhere and nothing else: scripts are modules loaded from this origin, styles
 * come from one stylesheet, and fetch() may only talk to this server's API. `form-action
 * 'none'` because the token form is handled by script and must never be submitted anywhere.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

export class DashboardAssets {
  private readonly files: ReadonlyMap<string, Asset>;

  private constructor(files: Map<string, Asset>) {
    this.files = files;
  }

  /** Reads every allow-listed file once; a missing file fails the start, not a request. */
  static load(dir: string = join(import.meta.dirname, 'assets')): DashboardAssets {
    const files = new Map<string, Asset>();
    for (const [name, contentType] of Object.entries(DASHBOARD_FILES)) {
      const body = readFileSync(join(dir, name));
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      files.set(name, { body, contentType, etag });
    }
    return new DashboardAssets(files);
  }

  /** The file for a request path under /dashboard/, or undefined when it is not served. */
  lookup(pathname: string): Asset | undefined {
    if (!pathname.startsWith(DASHBOARD_PATH)) return undefined;
    const name = pathname.slice(DASHBOARD_PATH.length) || 'index.html';
    // Object.hasOwn: a name such as "constructor" or "__proto__" is not a file.
    return Object.hasOwn(DASHBOARD_FILES, name) ? this.files.get(name) : undefined;
  }

  /** Total bytes of the page's files (README reports the gzipped size). */
  get sizes(): { name: string; bytes: number }[] {
    return [...this.files].map(([name, a]) => ({ name, bytes: a.body.length }));
  }
}

/** True for the paths this handler answers: `/dashboard` and everything under `/dashboard/`. */
export function isDashboardRequest(pathname: string): boolean {
  return pathname === '/dashboard' || pathname.startsWith(DASHBOARD_PATH);
}

function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

function plain(res: ServerResponse, code: number, text: string): void {
  res.statusCode = code;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Answers a request for which isDashboardRequest(url.pathname) is true. */
export function serveDashboard(req: IncomingMessage, res: ServerResponse, url: URL, assets: DashboardAssets): void {
  setSecurityHeaders(res);
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return plain(res, 405, `${method} is not allowed on the dashboard\n`);
  }
  if (url.pathname === '/dashboard') {
    res.statusCode = 301;
    res.setHeader('Location', DASHBOARD_PATH);
    res.setHeader('Cache-Control', 'no-cache');
    res.end();
    return;
  }
  const asset = assets.lookup(url.pathname);
  if (!asset) return plain(res, 404, 'not found\n');
  // no-cache: the browser keeps a copy but asks each time (a 304 via the ETag), so a kplane
  // upgrade is never mixed with an old module.
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('ETag', asset.etag);
  if (req.headers['if-none-match'] === asset.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', asset.contentType);
  res.setHeader('Content-Length', asset.body.length);
  res.end(method === 'HEAD' ? undefined : asset.body);
}
