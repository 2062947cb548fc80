import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from '../../apierrors/errors.ts';
import { parseRequestInfo } from '../request/requestinfo.ts';
import { checkSyncerViewRequest } from './rules.ts';

const check = (method: string, path: string) => () => checkSyncerViewRequest(parseRequestInfo(method, new URL(`https://x${path}`)));

test('reads, and writes of an object or its status, are served', () => {
  for (const [m, p] of [
    ['GET', '/clusters/root/api/v1/namespaces/web/configmaps/c'],
    ['GET', '/clusters/root/api/v1/namespaces/web/configmaps'],
    ['GET', '/clusters/*/api/v1/configmaps?watch=true'],
    ['GET', '/clusters/*/apis/apps/v1/deployments'],
    ['PUT', '/clusters/root/apis/apps/v1/namespaces/web/deployments/d/status'],
    ['PATCH', '/clusters/root/apis/apps/v1/namespaces/web/deployments/d'],
    ['PATCH', '/clusters/root/api/v1/namespaces/web'],
    ['GET', '/clusters/root/api'],
    ['GET', '/clusters/*/apis'],
    ['GET', '/clusters/root/apis/apps/v1'],
    ['GET', '/api/v1'],
  ] as const) assert.doesNotThrow(check(m, p), `${m} ${p}`);
});

test('create and delete are 405; other subresources and non-discovery paths 404', () => {
  for (const [m, p] of [
    ['POST', '/clusters/root/api/v1/namespaces/web/configmaps'],
    ['DELETE', '/clusters/root/api/v1/namespaces/web/configmaps/c'],
    ['DELETE', '/clusters/root/api/v1/namespaces/web/configmaps'],
    ['POST', '/clusters/root/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'],
    ['POST', '/clusters/root/api/v1/namespaces/default/serviceaccounts/sa/token'],
  ] as const) assert.throws(check(m, p), (e) => isStatusError(e, 'MethodNotAllowed'), `${m} ${p}`);
  for (const [m, p] of [
    ['GET', '/clusters/root/apis/apps/v1/namespaces/web/deployments/d/scale'],
    ['PUT', '/clusters/root/api/v1/namespaces/web/finalize'],
    ['GET', '/clusters/root/healthz'],
    ['GET', '/clusters/root/metrics'],
    ['GET', '/clusters/root/openapi/v2'],
    ['GET', '/version'],
  ] as const) assert.throws(check(m, p), (e) => isStatusError(e, 'NotFound'), `${m} ${p}`);
});
