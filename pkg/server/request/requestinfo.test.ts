import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from '../../apierrors/errors.ts';
import { parseRequestInfo } from './requestinfo.ts';

const u = (p: string) => new URL(p, 'https://h');

test('resource paths under a logical cluster', () => {
  const ri = parseRequestInfo('GET', u('/clusters/root:org/apis/workload.kcp.io/v1alpha1/synctargets/edge/status'));
  assert.deepEqual(ri, {
    isResourceRequest: true, cluster: 'root:org', wildcard: false, path: '/apis/workload.kcp.io/v1alpha1/synctargets/edge/status',
    verb: 'get', apiPrefix: 'apis', group: 'workload.kcp.io', version: 'v1alpha1', namespace: '', resource: 'synctargets', name: 'edge', subresource: 'status',
  });
  const ns = parseRequestInfo('DELETE', u('/clusters/root/api/v1/namespaces/default/configmaps'));
  assert.ok(ns.isResourceRequest);
  assert.equal(ns.verb, 'deletecollection');
  assert.equal(ns.namespace, 'default');
  assert.equal(ns.resource, 'configmaps');
  const nsObj = parseRequestInfo('GET', u('/clusters/root/api/v1/namespaces/default'));
  assert.ok(nsObj.isResourceRequest);
  assert.equal(nsObj.resource, 'namespaces');
  assert.equal(nsObj.name, 'default');
  const w = parseRequestInfo('GET', u('/clusters/root/api/v1/configmaps?watch=1'));
  assert.ok(w.isResourceRequest && w.verb === 'watch');
});

test('discovery and unprefixed paths', () => {
  assert.equal(parseRequestInfo('GET', u('/clusters/root/apis/workload.kcp.io/v1alpha1')).isResourceRequest, false);
  assert.equal(parseRequestInfo('GET', u('/api')).isResourceRequest, false);
  const ri = parseRequestInfo('GET', u('/api/v1/namespaces'));
  assert.ok(ri.isResourceRequest);
  assert.equal(ri.cluster, 'root');
});

test('wildcard allows list and watch only; bad clusters are 400', () => {
  const ri = parseRequestInfo('GET', u('/clusters/*/apis/workload.kcp.io/v1alpha1/synctargets'));
  assert.ok(ri.isResourceRequest && ri.wildcard && ri.verb === 'list');
  assert.throws(() => parseRequestInfo('POST', u('/clusters/*/api/v1/configmaps')), (e) => isStatusError(e, 'MethodNotAllowed'));
  assert.throws(() => parseRequestInfo('GET', u('/clusters/Root/api/v1/configmaps')), (e) => isStatusError(e, 'BadRequest'));
  assert.throws(() => parseRequestInfo('GET', u('/clusters/root/api/v1/configmaps/a/b/c')), (e) => isStatusError(e, 'BadRequest'));
});

test('the Namespace object and its subresources are cluster-scoped', () => {
  for (const [path, sub] of [['/api/v1/namespaces/team1', ''], ['/api/v1/namespaces/team1/status', 'status'], ['/clusters/root:a/api/v1/namespaces/team1/finalize', 'finalize']] as const) {
    const ri = parseRequestInfo('PUT', u(path));
    assert.ok(ri.isResourceRequest, path);
    assert.deepEqual([ri.resource, ri.name, ri.subresource, ri.namespace], ['namespaces', 'team1', sub, ''], path);
  }
  const sub = parseRequestInfo('GET', u('/api/v1/namespaces/status/configmaps'));
  assert.ok(sub.isResourceRequest);
  assert.deepEqual([sub.namespace, sub.resource], ['status', 'configmaps'], 'a namespace may be called "status"');
});

test('namespaces inside a namespace have no route: 404 for every verb, with or without a cluster', () => {
  const paths = [
    '/api/v1/namespaces/team1/namespaces',
    '/api/v1/namespaces/team1/namespaces/other',
    '/api/v1/namespaces/team1/namespaces/other/status',
    '/api/v1/namespaces/team1/namespaces/team1/finalize',
    '/clusters/root:org/api/v1/namespaces/team1/namespaces',
    '/clusters/root/api/v1/namespaces/team1/namespaces/x?watch=1',
  ];
  for (const p of paths) {
    for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      assert.throws(() => parseRequestInfo(m, u(p)), (e) => isStatusError(e, 'NotFound'), `${m} ${p}`);
    }
  }
});

test('legacy /watch/ paths are watches (kube 1.32 still serves them)', () => {
  const one = parseRequestInfo('GET', u('/clusters/root:a/api/v1/watch/namespaces/default/configmaps/cm1'));
  assert.ok(one.isResourceRequest);
  assert.deepEqual([one.verb, one.cluster, one.namespace, one.resource, one.name], ['watch', 'root:a', 'default', 'configmaps', 'cm1']);
  const coll = parseRequestInfo('GET', u('/api/v1/watch/namespaces/default/configmaps'));
  assert.ok(coll.isResourceRequest);
  assert.deepEqual([coll.verb, coll.namespace, coll.resource, coll.name], ['watch', 'default', 'configmaps', '']);
  const all = parseRequestInfo('GET', u('/api/v1/watch/configmaps'));
  assert.ok(all.isResourceRequest && all.verb === 'watch' && all.namespace === '' && all.resource === 'configmaps');
  const grouped = parseRequestInfo('GET', u('/clusters/*/apis/apps/v1/watch/deployments'));
  assert.ok(grouped.isResourceRequest && grouped.verb === 'watch' && grouped.group === 'apps' && grouped.wildcard);
  const ns = parseRequestInfo('GET', u('/api/v1/watch/namespaces/team'));
  assert.ok(ns.isResourceRequest && ns.verb === 'watch' && ns.resource === 'namespaces' && ns.name === 'team');
  assert.throws(() => parseRequestInfo('DELETE', u('/api/v1/watch/configmaps')), (e) => isStatusError(e, 'MethodNotAllowed'));
  assert.throws(() => parseRequestInfo('GET', u('/api/v1/watch')), (e) => isStatusError(e, 'BadRequest'));
});

test('watch= takes every strconv.ParseBool form; other values are 400', () => {
  for (const v of ['true', 'True', 'TRUE', 't', '1']) {
    const ri = parseRequestInfo('GET', u(`/api/v1/configmaps?watch=${v}`));
    assert.ok(ri.isResourceRequest && ri.verb === 'watch', v);
  }
  for (const v of ['false', 'False', '0', 'f']) {
    const ri = parseRequestInfo('GET', u(`/api/v1/configmaps?watch=${v}`));
    assert.ok(ri.isResourceRequest && ri.verb === 'list', v);
  }
  assert.throws(() => parseRequestInfo('GET', u('/api/v1/configmaps?watch=yes')), (e) => isStatusError(e, 'BadRequest'));
  assert.throws(() => parseRequestInfo('PATCH', u('/api/v1/namespaces/d/configmaps/x?force=maybe')), (e) => isStatusError(e, 'BadRequest'));
});
