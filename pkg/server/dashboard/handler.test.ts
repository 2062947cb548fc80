import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DASHBOARD_CSP, DASHBOARD_FILES, DashboardAssets, isDashboardRequest } from './handler.ts';

/** The bound on the page's weight. */
const MAX_GZIPPED_BYTES = 100 * 1024;

test('every file in assets/ is on the allow-list and the other way round', () => {
  const onDisk = readdirSync(join(import.meta.dirname, 'assets')).sort();
  assert.deepEqual(onDisk, Object.keys(DASHBOARD_FILES).sort());
});

test('lookup serves only allow-listed names', () => {
  const assets = DashboardAssets.load();
  assert.ok(assets.lookup('/dashboard/'), 'the index');
  assert.ok(assets.lookup('/dashboard/app.js'));
  for (const p of ['/dashboard/../handler.ts', '/dashboard/assets/app.js', '/dashboard/handler.ts', '/dashboard/constructor', '/dashboard/__proto__',
    '/dashboard/app.js/', '/dashboard//app.js', '/dashboard/%2e%2e/handler.ts', '/dashboardapp.js', '/other/app.js', '/dashboard/tsconfig.assets.json']) {
    assert.equal(assets.lookup(p), undefined, p);
  }
});

test('isDashboardRequest: /dashboard and below, nothing else', () => {
  for (const p of ['/dashboard', '/dashboard/', '/dashboard/x']) assert.ok(isDashboardRequest(p), p);
  for (const p of ['/dashboardx', '/dashboard-x', '/', '/clusters/root/dashboard/', '/api']) assert.ok(!isDashboardRequest(p), p);
});

test('the CSP allows this origin only, and no inline code', () => {
  assert.match(DASHBOARD_CSP, /default-src 'self'/);
  assert.doesNotMatch(DASHBOARD_CSP, /unsafe-inline|unsafe-eval|\*|data:|https?:/);
  assert.match(DASHBOARD_CSP, /frame-ancestors 'none'/);
});

test('the page has no inline script, style or event handler (the CSP would block them)', () => {
  const html = DashboardAssets.load().lookup('/dashboard/')!.body.toString('utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script has a src');
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
});

test(`the page weighs less than ${MAX_GZIPPED_BYTES / 1024} KB gzipped`, (t) => {
  const assets = DashboardAssets.load();
  let raw = 0;
  let gz = 0;
  for (const name of Object.keys(DASHBOARD_FILES)) {
    const body = assets.lookup(`/dashboard/${name}`)!.body;
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  t.diagnostic(`dashboard: ${raw} bytes, ${gz} bytes gzipped (files gzipped one by one)`);
  assert.ok(gz < MAX_GZIPPED_BYTES, `${gz} bytes gzipped`);
});
