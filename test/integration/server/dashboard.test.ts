// The dashboard's static files as a real kplane serves them: public (no token needed for the
// page), with the security headers, only allow-listed files (no traversal, nothing else made
// public), GET/HEAD only — while the API behind it still demands a token.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { test } from 'node:test';
import { TestClient } from '../../framework/http.ts';
import { startKplane } from '../../framework/kplane.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request whose path is sent byte for byte (new URL() would resolve `..` before sending). */
function raw(base: string, ca: string, path: string, opts: { method?: string; token?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const u = new URL(base);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('dashboard static handler', { timeout: 180_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const get = (path: string, opts: Parameters<typeof raw>[3] = {}) => raw(kp.url, kp.caPem, path, opts);

  await t.test('the page and its files load without a token, with the security headers', async () => {
    const index = await get('/dashboard/');
    assert.equal(index.status, 200, index.body);
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
    const csp = String(index.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    assert.equal(index.headers['cache-control'], 'no-cache');
    assert.match(index.body, /<script type="module" src="app.js"><\/script>/);
    for (const [file, type] of [['app.js', 'text/javascript; charset=utf-8'], ['dashboard.css', 'text/css; charset=utf-8'], ['index.html', 'text/html; charset=utf-8'], ['favicon.svg', 'image/svg+xml']]) {
      const r = await get(`/dashboard/${file}`);
      assert.equal(r.status, 200, file);
      assert.equal(r.headers['content-type'], type, file);
      assert.ok(r.headers['content-security-policy'], `${file} has a CSP`);
    }
    // Revalidation: the same ETag answers 304 without a body.
    const etag = String(index.headers.etag);
    const again = await get('/dashboard/', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
  });

  await t.test('HEAD has the headers and no body; /dashboard redirects to /dashboard/', async () => {
    const head = await get('/dashboard/app.js', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.ok(Number(head.headers['content-length']) > 0);
    const redirect = await get('/dashboard');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, '/dashboard/');
  });

  await t.test('unknown files and traversal tricks are 404, never a file from elsewhere', async () => {
    for (const p of ['/dashboard/nope.js', '/dashboard/handler.ts', '/dashboard/assets/app.js', '/dashboard/..%2fhandler.ts', '/dashboard/..%2F..%2F..%2Fpackage.json',
      '/dashboard/%2e%2e%2fserver.ts', '/dashboard/tsconfig.assets.json', '/dashboard/constructor', '/dashboard/app.js/x', '/dashboard//etc/passwd']) {
      const r = await get(p);
      assert.equal(r.status, 404, `${p}: ${r.status} ${r.body.slice(0, 200)}`);
      assert.doesNotMatch(r.body, /import|"name": "kplane"|root:/, p);
    }
    // Dot segments are resolved before routing (WHATWG URL), so these leave /dashboard/ and
    // meet the API's ordinary authentication: 401 without a token, nothing served.
    for (const p of ['/dashboard/../api/v1/namespaces/default/secrets', '/dashboard/%2e%2e/apis', '/dashboard/./../version/../metrics']) {
      const r = await get(p);
      assert.equal(r.status, 401, `${p}: ${r.status} ${r.body.slice(0, 200)}`);
    }
  });

  await t.test('nothing else became public', async () => {
    for (const p of ['/dashboardx', '/dashboard-admin/', '/metrics', '/apis', '/clusters/root/apis/workload.kcp.io/v1alpha1/synctargets', '/clusters/*/apis/workload.kcp.io/v1alpha1/synctargets', '/api/v1/namespaces/default/secrets']) {
      const r = await get(p);
      assert.equal(r.status, 401, `${p}: ${r.status}`);
    }
    // The page lives at the top level only; under a logical cluster it is not served.
    const prefixed = await get('/clusters/root/dashboard/');
    assert.equal(prefixed.status, 404);
    assert.doesNotMatch(prefixed.body, /<html/);
    // With a token the API answers as usual.
    const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
    assert.equal((await admin.get('/clusters/root/apis/workload.kcp.io/v1alpha1/synctargets')).status, 200);
  });

  await t.test('only GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await get('/dashboard/', { method, token: kp.adminToken });
      assert.equal(r.status, 405, `${method} with a token`);
      assert.equal(r.headers.allow, 'GET, HEAD');
      // Without a token the public set covers reading only: the authorizer refuses first.
      const anon = await get('/dashboard/', { method });
      assert.equal(anon.status, 403, `${method} without a token`);
    }
  });
});

test('--dashboard=false: the page is not served (404), and still nothing else is public', { timeout: 120_000 }, async () => {
  await using kp = await startKplane({ args: ['--controllers', '-', '--dashboard=false'] });
  for (const p of ['/dashboard/', '/dashboard/app.js']) {
    const r = await raw(kp.url, kp.caPem, p);
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(r.body, /<html|import /, p);
  }
  assert.equal((await raw(kp.url, kp.caPem, '/api/v1/namespaces')).status, 401);
});
