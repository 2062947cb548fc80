import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplyError, FieldSet, recordUpdate, serverSideApply } from './index.ts';
import type { ApplyOptions, ManagedFieldsEntry } from './index.ts';

const T0 = new Date('2026-01-01T00:00:00.123Z');
const T1 = new Date('2026-01-01T00:01:00Z');

function st(spec: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 'edge-1', ...extra }, spec };
}

function applyAs(manager: string, live: Record<string, unknown> | undefined, config: unknown, more: Partial<ApplyOptions> = {}) {
  return serverSideApply({ live, config, manager, force: false, apiVersion: 'workload.kcp.io/v1alpha1', now: T0, ...more });
}

const mf = (obj: Record<string, unknown>) => (obj.metadata as { managedFields?: ManagedFieldsEntry[] }).managedFields;

describe('serverSideApply', () => {
  test('create: the applier owns what it sent, identity metadata is not tracked', () => {
    const { object, managedFields } = applyAs('kubectl', undefined, st({ cluster: 'c1', capacity: { cpu: '4' } }, { labels: { app: 'x' } }));
    assert.deepEqual(object.spec, { cluster: 'c1', capacity: { cpu: '4' } });
    assert.deepEqual(managedFields, [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'workload.kcp.io/v1alpha1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:capacity': { 'f:cpu': {} }, 'f:cluster': {} } },
      },
    ]);
    assert.deepEqual(mf(object), managedFields);
  });

  test('re-applying the same configuration changes nothing, byte for byte', () => {
    const first = applyAs('kubectl', undefined, st({ cluster: 'c1' })).object;
    const second = applyAs('kubectl', first, st({ cluster: 'c1' }), { now: T1 }).object;
    assert.equal(JSON.stringify(second), JSON.stringify(first));
  });

  test('fields dropped from the configuration are removed unless someone else owns them', () => {
    const first = applyAs('kubectl', undefined, st({ cluster: 'c1', unschedulable: true, evictAfter: 'x' })).object;
    const shared = applyAs('other', first, st({ evictAfter: 'x' })).object;
    const { object } = applyAs('kubectl', shared, st({ cluster: 'c1' }), { now: T1 });
    assert.deepEqual(object.spec, { cluster: 'c1', evictAfter: 'x' });
    const owners = Object.fromEntries((mf(object) ?? []).map((e) => [e.manager, e.fieldsV1]));
    assert.deepEqual(owners, { kubectl: { 'f:spec': { 'f:cluster': {} } }, other: { 'f:spec': { 'f:evictAfter': {} } } });
  });

  test('conflict with another applier: 409 text and causes as kube', () => {
    const first = applyAs('mgr', undefined, st({ cluster: 'c1' })).object;
    assert.throws(
      () => applyAs('kubectl', first, st({ cluster: 'c2' })),
      (e: unknown) => {
        assert.ok(e instanceof ApplyError);
        assert.equal(e.kind, 'Conflict');
        assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "mgr": .spec.cluster');
        assert.deepEqual(e.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "mgr"', field: '.spec.cluster' }]);
        return true;
      },
    );
  });

  test('conflict with an updater names its apiVersion; several conflicts are listed', () => {
    const created = recordUpdate(undefined, st({ cluster: 'c1', evictAfter: '1m' }), 'kubectl-create', { apiVersion: 'workload.kcp.io/v1alpha1', now: T0 });
    assert.throws(
      () => applyAs('kubectl', created, st({ cluster: 'c2', evictAfter: '2m' })),
      (e: unknown) => {
        assert.ok(e instanceof ApplyError);
        assert.equal(
          e.message,
          'Apply failed with 2 conflicts: conflicts with "kubectl-create" using workload.kcp.io/v1alpha1:\n- .spec.cluster\n- .spec.evictAfter',
        );
        assert.equal(e.causes.length, 2);
        assert.equal(e.causes[0]?.message, 'conflict with "kubectl-create" using workload.kcp.io/v1alpha1');
        return true;
      },
    );
  });

  test('same value is no conflict: both managers own the field', () => {
    const first = applyAs('mgr', undefined, st({ cluster: 'c1' })).object;
    const { managedFields } = applyAs('kubectl', first, st({ cluster: 'c1' }));
    assert.deepEqual(
      managedFields.map((e) => e.manager),
      ['kubectl', 'mgr'],
    );
  });

  test('force takes ownership from the other manager', () => {
    const first = applyAs('mgr', undefined, st({ cluster: 'c1', evictAfter: '1m' })).object;
    const { object, managedFields } = applyAs('kubectl', first, st({ cluster: 'c2' }), { force: true, now: T1 });
    assert.equal((object.spec as { cluster: string }).cluster, 'c2');
    const owners = Object.fromEntries(managedFields.map((e) => [e.manager, e.fieldsV1]));
    assert.deepEqual(owners, { kubectl: { 'f:spec': { 'f:cluster': {} } }, mgr: { 'f:spec': { 'f:evictAfter': {} } } });
  });

  test('status is ignored where the caller says so', () => {
    const config = { ...st({ cluster: 'c1' }), status: { phase: 'Ready' } };
    const { object, managedFields } = applyAs('kubectl', undefined, config, { ignoredFields: ['status'] });
    assert.equal(object.status, undefined);
    assert.deepEqual(managedFields[0]?.fieldsV1, { 'f:spec': { 'f:cluster': {} } });
  });

  test('keyed lists: items by key, ownership per item, removal of dropped items', () => {
    const dep = (containers: unknown[]) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: { containers } } },
    });
    const opts = { apiVersion: 'apps/v1' };
    const first = applyAs('a', undefined, dep([{ name: 'web', image: 'nginx' }, { name: 'side', image: 'busybox' }]), opts).object;
    assert.deepEqual(mf(first)?.[0]?.fieldsV1, {
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"side"}': { '.': {}, 'f:image': {}, 'f:name': {} },
              'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} },
            },
          },
        },
      },
    });
    // Another manager changes a different container: no conflict.
    const second = applyAs('b', first, dep([{ name: 'side', image: 'busybox' }, { name: 'extra', image: 'x' }]), opts).object;
    // a drops "side" — b still owns it, so it stays; a drops nothing else.
    const third = applyAs('a', second, dep([{ name: 'web', image: 'nginx:2' }]), { ...opts, now: T1 }).object;
    const names = ((third.spec as { template: { spec: { containers: Array<{ name: string; image: string }> } } }).template.spec.containers).map((c) => `${c.name}=${c.image}`);
    assert.deepEqual(names, ['web=nginx:2', 'side=busybox', 'extra=x']);
    assert.throws(() => applyAs('b', third, dep([{ name: 'web', image: 'nginx:3' }]), opts), /conflict with "a": \.spec\.template\.spec\.containers\[name="web"\]\.image/);
  });

  test('set lists (finalizers) are owned per value', () => {
    const { managedFields } = applyAs('a', undefined, st({}, { finalizers: ['x/y'] }));
    assert.deepEqual(managedFields[0]?.fieldsV1, { 'f:metadata': { 'f:finalizers': { 'v:"x/y"': {} } }, 'f:spec': {} });
  });

  test('bad configurations are 400', () => {
    assert.throws(() => applyAs('a', undefined, 'nope'), (e: unknown) => e instanceof ApplyError && e.kind === 'BadRequest');
    assert.throws(() => applyAs('a', undefined, st({}, { managedFields: [] })), { message: 'metadata.managedFields must be nil' });
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: { containers: [{ image: 'x' }] } } } };
    assert.throws(() => applyAs('a', undefined, dep), (e: unknown) => e instanceof ApplyError && e.kind === 'BadRequest');
  });

  test('malformed stored managedFields are reset, not fatal: before-first-apply owns what was there', () => {
    const live = st({ cluster: 'c1', evictAfter: '1m' }, { managedFields: 'garbage' });
    const { object, managedFields } = applyAs('a', live, st({ cluster: 'c1' }));
    assert.deepEqual(object.spec, { cluster: 'c1', evictAfter: '1m' });
    assert.deepEqual(managedFields.map((e) => `${e.manager}/${e.operation}`), ['a/Apply', 'before-first-apply/Update']);
    assert.deepEqual(managedFields[1]?.fieldsV1, { 'f:spec': { '.': {}, 'f:cluster': {}, 'f:evictAfter': {} } });
    assert.throws(() => applyAs('a', live, st({ cluster: 'c2' })), /conflict with "before-first-apply" using workload\.kcp\.io\/v1alpha1: \.spec\.cluster/);
  });
});

describe('recordUpdate', () => {
  const opts = { apiVersion: 'workload.kcp.io/v1alpha1', now: T0 };

  test('create records every field with "." for new maps', () => {
    const out = recordUpdate(undefined, st({ cluster: 'c1' }, { labels: { a: '1' } }), 'kubectl-create', opts);
    assert.deepEqual(mf(out), [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'workload.kcp.io/v1alpha1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { '.': {}, 'f:cluster': {} } },
      },
    ]);
  });

  test('an update takes fields over without conflict; removed fields leave all managers', () => {
    const applied = applyAs('kubectl', undefined, st({ cluster: 'c1', evictAfter: '1m' })).object;
    const edited = structuredClone(applied) as Record<string, unknown> & { spec: Record<string, unknown> };
    edited.spec.cluster = 'c2';
    delete edited.spec.evictAfter;
    const out = recordUpdate(applied, edited, 'kubectl-edit', { ...opts, now: T1 });
    const owners = Object.fromEntries((mf(out) ?? []).map((e) => [e.manager, e.fieldsV1]));
    assert.deepEqual(owners, { 'kubectl-edit': { 'f:spec': { 'f:cluster': {} } } });
  });

  test('a no-op update keeps managedFields byte-identical', () => {
    const created = recordUpdate(undefined, st({ cluster: 'c1' }), 'a', opts);
    const again = recordUpdate(created, created, 'b', { ...opts, now: T1 });
    assert.equal(JSON.stringify(again), JSON.stringify(created));
  });

  test('subresource updates are separate entries', () => {
    const created = recordUpdate(undefined, st({ cluster: 'c1' }), 'kplane', opts);
    const withStatus = { ...created, status: { phase: 'Ready' } };
    const out = recordUpdate(created, withStatus, 'kplane', { ...opts, subresource: 'status', now: T1 });
    assert.deepEqual(
      (mf(out) ?? []).map((e) => [e.manager, e.subresource ?? '', Object.keys(e.fieldsV1)]),
      [
        ['kplane', '', ['f:spec']],
        ['kplane', 'status', ['f:status']],
      ],
    );
  });

  test('client-sent managedFields are honoured; [{}] clears them', () => {
    const created = recordUpdate(undefined, st({ cluster: 'c1' }), 'kubectl-client-side-apply', opts);
    const upgraded = structuredClone(created) as Record<string, unknown> & { metadata: Record<string, unknown> };
    upgraded.metadata.managedFields = [
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'workload.kcp.io/v1alpha1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:cluster': {} } } },
    ];
    const out = recordUpdate(created, upgraded, 'kubectl', opts);
    assert.deepEqual((mf(out) ?? []).map((e) => `${e.manager}/${e.operation}`), ['kubectl/Apply']);
    const cleared = structuredClone(created) as Record<string, unknown> & { metadata: Record<string, unknown> };
    cleared.metadata.managedFields = [{}];
    assert.equal(mf(recordUpdate(created, cleared, 'x', opts)), undefined);
  });

  test('entries are sorted: Apply before Update, then by time and manager', () => {
    let obj = recordUpdate(undefined, st({ a: 1 }), 'zeta', { ...opts, now: T0 });
    obj = recordUpdate(obj, { ...obj, spec: { a: 1, b: 2 } }, 'alpha', { ...opts, now: T1 });
    obj = applyAs('applier', obj, st({ c: 3 }), { now: T1 }).object;
    assert.deepEqual((mf(obj) ?? []).map((e) => e.manager), ['applier', 'zeta', 'alpha']);
  });
});

describe('FieldSet', () => {
  test('FieldsV1 round-trip and ordering', () => {
    const v1 = { 'f:spec': { '.': {}, 'f:b': {}, 'k:{"name":"x"}': { '.': {}, 'f:name': {} }, 'f:a': {}, 'v:"q"': {} } };
    const set = FieldSet.fromFieldsV1(v1);
    assert.ok(set);
    assert.deepEqual(Object.keys((set.toFieldsV1()['f:spec'] as object)), ['.', 'f:a', 'f:b', 'k:{"name":"x"}', 'v:"q"']);
    assert.equal(FieldSet.fromFieldsV1({ bogus: {} }), undefined);
    assert.equal(FieldSet.fromFieldsV1([]), undefined);
  });
});
