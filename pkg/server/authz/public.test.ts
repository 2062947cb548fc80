import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPublicPath } from './public.ts';

test('public paths: health, version and the dashboard, nothing that merely shares a prefix', () => {
  for (const p of ['/healthz', '/livez/ping', '/readyz', '/version', '/dashboard', '/dashboard/', '/dashboard/app.js']) assert.ok(isPublicPath(p), p);
  for (const p of ['/dashboardx', '/dashboard-admin', '/dash', '/versions', '/version/x', '/api', '/apis', '/metrics', '/openapi/v2', '/healthzx', '/']) {
    assert.ok(!isPublicPath(p), p);
  }
});
