// The view hooks the ordinary handlers call: 404 outside the view, the write check on every
// attempt of the store's read-modify-write loop (so a label removed between attempts is seen).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigMapResource } from '../../../apis/core/v1/configmap.ts';
import { isStatusError, StatusError } from '../../apierrors/errors.ts';
import type { KObject } from '../registry/object.ts';
import type { HandlerContext } from './context.ts';
import type { ObjectView } from './object-view.ts';
import { requestFilter } from './filter.ts';
import { confineMutator, requireInView } from './view.ts';

const inView: ObjectView = {
  contains: (o) => o.metadata.labels?.placed !== undefined,
  checkWrite: (_live, next) => {
    if (next.metadata.labels?.forbidden) throw new StatusError('Forbidden', 'no');
  },
};

function ctx(view: ObjectView | undefined, query = ''): HandlerContext {
  return {
    def: ConfigMapResource,
    info: { isResourceRequest: true, cluster: 'root', wildcard: false, path: '', verb: 'update', apiPrefix: 'api', group: '', version: 'v1', namespace: 'ns', resource: 'configmaps', name: 'c', subresource: '' },
    url: new URL(`https://x/api/v1/namespaces/ns/configmaps${query}`),
    ...(view ? { view } : {}),
  } as HandlerContext;
}
const cm = (labels: Record<string, string>): KObject => ({ metadata: { name: 'c', namespace: 'ns', labels } });
const notFound = (e: unknown) => isStatusError(e, 'NotFound');

test('requireInView: 404 outside the view, nothing without one', () => {
  requireInView(ctx(inView), cm({ placed: 'x' }));
  assert.throws(() => requireInView(ctx(inView), cm({})), notFound);
  requireInView(ctx(undefined), cm({}));
});

test('confineMutator: checks the live object on every attempt, and the change', async () => {
  let calls = 0;
  const mutate = confineMutator(ctx(inView), (live) => {
    calls++;
    return { ...live!, metadata: { ...live!.metadata, labels: { ...live!.metadata.labels, x: 'y' } } };
  });
  assert.equal((await mutate(cm({ placed: '' }))).metadata.labels?.x, 'y');
  // A retry after a concurrent writer removed the label: 404, the mutation never runs.
  await assert.rejects(Promise.resolve(mutate(cm({}))), notFound);
  await assert.rejects(Promise.resolve(mutate(undefined)), notFound);
  assert.equal(calls, 1);
  const bad = confineMutator(ctx(inView), (live) => ({ ...live!, metadata: { ...live!.metadata, labels: { placed: '', forbidden: 'y' } } }));
  await assert.rejects(Promise.resolve(bad(cm({ placed: '' }))), (e) => isStatusError(e, 'Forbidden'));
  const plain = (live: KObject | undefined) => live!;
  assert.equal(confineMutator(ctx(undefined), plain), plain);
});

test('requestFilter: the view is ANDed with the client\'s selectors and never "empty"', () => {
  const f = requestFilter(ctx(inView, '?labelSelector=app%3Dweb'));
  assert.equal(f.empty, false);
  assert.ok(f.matches(cm({ placed: '', app: 'web' })));
  assert.ok(!f.matches(cm({ app: 'web' })));
  assert.ok(!f.matches(cm({ placed: '' })));
  assert.equal(requestFilter(ctx(inView)).empty, false);
  assert.equal(requestFilter(ctx(undefined)).empty, true);
});
