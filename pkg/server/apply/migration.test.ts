// structured-merge-diff semantics the client-side → server-side apply migration relies on:
// `.` members, atomic maps, keyed lists with several keys, kubectl's last-applied handling.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplyError, recordUpdate, serverSideApply } from './index.ts';
import type { ApplyOptions, ManagedFieldsEntry } from './index.ts';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:01:00Z');
const LAST = 'kubectl.kubernetes.io/last-applied-configuration';
type Obj = Record<string, unknown>;

const cm = (data: Obj | undefined, annotations?: Obj): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'm', namespace: 'default', ...(annotations ? { annotations } : {}) },
  ...(data ? { data } : {}),
});
const mf = (obj: Obj) => ((obj.metadata as Obj).managedFields ?? []) as ManagedFieldsEntry[];
const owners = (obj: Obj) => Object.fromEntries(mf(obj).map((e) => [`${e.manager}/${e.operation}`, e.fieldsV1]));
const apply = (manager: string, live: Obj | undefined, config: Obj, more: Partial<ApplyOptions> = {}) =>
  serverSideApply({ live, config, manager, force: false, apiVersion: 'v1', now: T1, ...more }).object;

/** What `kubectl apply` (client-side) stores: the object with the annotation, owned by kubectl-client-side-apply. */
function clientSideApplied(config: Obj): Obj {
  const annotated = structuredClone(config) as Obj & { metadata: Obj };
  annotated.metadata.annotations = { [LAST]: `${JSON.stringify({ ...config, metadata: { ...(config.metadata as Obj), annotations: {} } })}\n` };
  return recordUpdate(undefined, annotated, 'kubectl-client-side-apply', { apiVersion: 'v1', now: T0 });
}

/** kubectl's csaupgrade: the client-side manager's entry becomes kubectl's Apply entry, `.` members and all. */
function upgraded(obj: Obj): Obj {
  const out = structuredClone(obj) as Obj & { metadata: Obj };
  out.metadata.managedFields = mf(obj).map((e) => (e.manager === 'kubectl-client-side-apply' ? { ...e, manager: 'kubectl', operation: 'Apply' } : e));
  return recordUpdate(obj, out, 'kubectl', { apiVersion: 'v1', now: T0 });
}

describe('"." members from the client-side apply upgrade', () => {
  const config = cm({ a: '1' });
  const live = upgraded(clientSideApplied(config));

  test('the upgraded entry owns the data map itself', () => {
    assert.deepEqual(owners(live)['kubectl/Apply'], {
      'f:data': { '.': {}, 'f:a': {} },
      'f:metadata': { 'f:annotations': { '.': {}, [`f:${LAST}`]: {} } },
    });
  });

  test('re-applying the same configuration keeps the map the configuration still sets', () => {
    const out = apply('kubectl', live, config);
    assert.deepEqual(out.data, { a: '1' });
    assert.deepEqual(owners(out)['kubectl/Apply'], { 'f:data': { 'f:a': {} } });
  });

  test('the annotation is kept and rewritten to the configuration kubectl applied', () => {
    // kubectl 1.32 first applies the annotation alone as "kubectl-last-applied", so it
    // survives kubectl dropping it from its own set.
    const value = ((live.metadata as Obj).annotations as Obj)[LAST];
    const held = apply('kubectl-last-applied', live, cm(undefined, { [LAST]: value }));
    const out = apply('kubectl', held, cm({ a: '2' }));
    assert.deepEqual(out.data, { a: '2' });
    const ann = (out.metadata as Obj).annotations as Obj;
    assert.equal(ann[LAST], '{"apiVersion":"v1","data":{"a":"2"},"kind":"ConfigMap","metadata":{"name":"m","namespace":"default"}}\n');
  });

  test('only kubectl rewrites the annotation; another manager leaves it as it was', () => {
    const out = apply('other', live, cm({ b: '1' }));
    const ann = (out.metadata as Obj).annotations as Obj;
    assert.equal(ann[LAST], ((live.metadata as Obj).annotations as Obj)[LAST]);
  });

  test('a map dropped from the configuration goes, except what another manager owns', () => {
    assert.equal(apply('kubectl', live, cm(undefined)).data, undefined);
    const shared = recordUpdate(live, { ...live, data: { a: '1', c: '3' } }, 'kubectl-patch', { apiVersion: 'v1', now: T0 });
    const out = apply('kubectl', shared, cm(undefined));
    assert.deepEqual(out.data, { c: '3' });
  });

  test('fields nobody owned that vanished with a pruned parent come back (dangling items)', () => {
    // kubectl owns spec.a and the spec map itself; spec.server was set by no manager at all.
    const st = (spec: Obj) => ({ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 's' }, spec });
    const base = { ...st({ a: 1, server: 'x' }), metadata: { name: 's', managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'workload.kcp.io/v1alpha1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { '.': {}, 'f:a': {} } } }] } };
    const out = serverSideApply({ live: base, config: st({ b: 2 }), manager: 'kubectl', force: false, apiVersion: 'workload.kcp.io/v1alpha1', now: T1 }).object;
    assert.deepEqual(out.spec, { b: 2, server: 'x' });
  });

  test('a label nobody owns stays when the applier drops its own labels (a server-set key label)', () => {
    const live = {
      apiVersion: 'workload.kcp.io/v1alpha1',
      kind: 'SyncTarget',
      metadata: {
        name: 's',
        labels: { tier: 'gold', 'internal.workload.kcp.io/key': 'k1' },
        managedFields: [{ manager: 'gitops', operation: 'Apply', apiVersion: 'workload.kcp.io/v1alpha1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:tier': {} } }, 'f:spec': { 'f:cluster': {} } } }],
      },
      spec: { cluster: 'c' },
    };
    const config = { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 's' }, spec: { cluster: 'c' } };
    const out = serverSideApply({ live, config, manager: 'gitops', force: false, apiVersion: 'workload.kcp.io/v1alpha1', now: T1 }).object;
    assert.deepEqual((out.metadata as Obj).labels, { 'internal.workload.kcp.io/key': 'k1' });
    // With no other label left, the emptied map goes, as kube's omitempty labels do.
    const alone = { ...live, metadata: { ...live.metadata, labels: { tier: 'gold' } } };
    assert.equal((serverSideApply({ live: alone, config, manager: 'gitops', force: false, apiVersion: 'workload.kcp.io/v1alpha1', now: T1 }).object.metadata as Obj).labels, undefined);
  });
});

describe('kubectl server-side apply over its own client-side apply', () => {
  test('a value changed since the client-side apply is no conflict for kubectl, and is for others', () => {
    const live = clientSideApplied(cm({ a: '1', c: '3' }));
    const out = apply('kubectl', live, cm({ a: '2' }));
    assert.deepEqual(out.data, { a: '2', c: '3' });
    assert.deepEqual(owners(out)['kubectl/Apply'], { 'f:data': { 'f:a': {} } });
    assert.throws(() => apply('helm', live, cm({ a: '2' })), (e: unknown) => e instanceof ApplyError && e.kind === 'Conflict' && /conflict with "kubectl-client-side-apply" using v1: \.data\.a/.test(e.message));
  });

  test('a field someone else changed after the client-side apply still conflicts', () => {
    const csa = clientSideApplied(cm({ a: '1' }));
    const edited = recordUpdate(csa, { ...csa, data: { a: 'edited' } }, 'kubectl-edit', { apiVersion: 'v1', now: T0 });
    assert.throws(() => apply('kubectl', edited, cm({ a: '2' })), /conflict with "kubectl-edit" using v1: \.data\.a/);
    const forced = apply('kubectl', edited, cm({ a: '2' }), { force: true });
    assert.deepEqual(owners(forced)['kubectl/Apply'], { 'f:data': { 'f:a': {} } });
    assert.equal(owners(forced)['kubectl-edit/Update'], undefined);
  });
});

describe('atomic maps and keyed lists', () => {
  const rb = (roleRef: Obj, subjects: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'default' }, roleRef, subjects });
  const ref = { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' };

  test('roleRef and subjects are owned whole', () => {
    const out = apply('kubectl', undefined, rb(ref, [{ kind: 'User', name: 'alice' }]), { apiVersion: 'rbac.authorization.k8s.io/v1' });
    assert.deepEqual(owners(out)['kubectl/Apply'], { 'f:roleRef': {}, 'f:subjects': {} });
    // Another applier naming only roleRef.name still conflicts on the whole roleRef.
    assert.throws(() => apply('other', out, rb({ ...ref, name: 'r2' }, [{ kind: 'User', name: 'alice' }]), { apiVersion: 'rbac.authorization.k8s.io/v1' }), /\.roleRef$|\.roleRef\n/);
  });

  test('an atomic map set by an update is replaced whole by an apply, not merged', () => {
    const created = recordUpdate(undefined, rb({ ...ref, extra: 'x' }, []), 'kubectl-create', { apiVersion: 'rbac.authorization.k8s.io/v1', now: T0 });
    const out = apply('kubectl', created, rb(ref, []), { apiVersion: 'rbac.authorization.k8s.io/v1', force: true });
    assert.deepEqual(out.roleRef, ref);
  });

  test('list-map items with two keys are told apart by both', () => {
    const dep = (tsc: unknown[]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }], topologySpreadConstraints: tsc } } } });
    const one = { topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 };
    const two = { topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 2 };
    const first = apply('a', undefined, dep([one]), { apiVersion: 'apps/v1' });
    const second = apply('b', first, dep([two]), { apiVersion: 'apps/v1' });
    const tsc = ((second.spec as Obj).template as { spec: { topologySpreadConstraints: unknown[] } }).spec.topologySpreadConstraints;
    assert.deepEqual(tsc, [one, two]);
    const fields = owners(second)['b/Apply'] as { 'f:spec': { 'f:template': { 'f:spec': Obj } } };
    assert.deepEqual(Object.keys(fields['f:spec']['f:template']['f:spec']['f:topologySpreadConstraints'] as Obj), ['k:{"topologyKey":"zone","whenUnsatisfiable":"ScheduleAnyway"}']);
  });
});

describe('server-maintained annotations', () => {
  test('kcp.io/cluster is never owned, pruned or changed by an apply', () => {
    const untrackedAnnotations = ['kcp.io/cluster'];
    const created = recordUpdate(undefined, cm({ a: '1' }, { 'kcp.io/cluster': 'root' }), 'kubectl-create', { apiVersion: 'v1', now: T0, untrackedAnnotations });
    assert.deepEqual(owners(created)['kubectl-create/Update'], { 'f:data': { '.': {}, 'f:a': {} } });
    const out = apply('kubectl', created, cm({ a: '1' }, { 'kcp.io/cluster': 'elsewhere' }), { untrackedAnnotations, force: true });
    assert.deepEqual((out.metadata as Obj).annotations, { 'kcp.io/cluster': 'root' });
    assert.ok(!JSON.stringify(mf(out)).includes('kcp.io/cluster'));
  });

  test('entries written before it was untracked lose it without leaving a bare branch behind', () => {
    const legacy = {
      ...cm({ a: '1' }, { 'kcp.io/cluster': 'root' }),
      metadata: {
        name: 'm',
        namespace: 'default',
        annotations: { 'kcp.io/cluster': 'root' },
        managedFields: [{ manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:annotations': { 'f:kcp.io/cluster': {} } } } }],
      },
    };
    const out = apply('kubectl', legacy, cm({ a: '1' }), { untrackedAnnotations: ['kcp.io/cluster'] });
    assert.deepEqual(owners(out)['kubectl-create/Update'], { 'f:data': { '.': {}, 'f:a': {} } });
    assert.deepEqual((out.metadata as Obj).annotations, { 'kcp.io/cluster': 'root' });
  });
});

describe('empty granular lists', () => {
  test('an applied empty set list owns nothing and leaves other managers\' items', () => {
    const st = (metadata: Obj) => ({ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 's', ...metadata }, spec: { cluster: 'c' } });
    const opts = { apiVersion: 'workload.kcp.io/v1alpha1' };
    const first = apply('ctrl', undefined, st({ finalizers: ['ctrl/cleanup'] }), opts);
    const out = apply('kubectl', first, st({ finalizers: [] }), opts);
    assert.deepEqual((out.metadata as Obj).finalizers, ['ctrl/cleanup']);
    assert.deepEqual(owners(out)['kubectl/Apply'], { 'f:spec': { 'f:cluster': {} } });
  });
});

describe('merged list order', () => {
  const dep = (names: string[]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: names.map((name) => ({ name, image: 'i' })) } } } });
  const names = (o: Obj) => ((o.spec as Obj).template as { spec: { containers: Array<{ name: string }> } }).spec.containers.map((c) => c.name);
  const opts = { apiVersion: 'apps/v1' };

  test('the configuration\'s order wins; items only the live list has keep their place', () => {
    const first = apply('a', undefined, dep(['x', 'y']), opts);
    assert.deepEqual(names(apply('a', first, dep(['y', 'x']), opts)), ['y', 'x']);
    const withOther = apply('b', first, dep(['other']), opts);
    assert.deepEqual(names(withOther), ['x', 'y', 'other']);
    // As structured-merge-diff: "other" follows the live item it came after (y), x comes last.
    assert.deepEqual(names(apply('a', withOther, dep(['y', 'x']), opts)), ['y', 'other', 'x']);
    assert.deepEqual(names(apply('a', withOther, dep(['x', 'new', 'y']), opts)), ['x', 'new', 'y', 'other']);
  });
});

describe('identity metadata', () => {
  test('dropping the only owned metadata field never prunes name, uid or the metadata map', () => {
    const first = apply('kubectl', undefined, { ...cm({ a: '1' }), metadata: { name: 'm', namespace: 'default', labels: { x: 'y' } } });
    const live = { ...first, metadata: { ...(first.metadata as Obj), uid: 'u-1', resourceVersion: '5', creationTimestamp: '2026-01-01T00:00:00Z' } };
    const out = apply('kubectl', live, cm({ a: '1' }));
    const m = out.metadata as Obj;
    assert.equal(m.labels, undefined);
    assert.deepEqual([m.name, m.namespace, m.uid, m.resourceVersion, m.creationTimestamp], ['m', 'default', 'u-1', '5', '2026-01-01T00:00:00Z']);
  });
});

describe('container ports', () => {
  test('keyed by containerPort and protocol, protocol defaulting to TCP', () => {
    const dep = (ports: unknown[]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i', ports }] } } } });
    const out = apply('a', undefined, dep([{ containerPort: 53 }, { containerPort: 53, protocol: 'UDP' }]), { apiVersion: 'apps/v1' });
    const c = (((owners(out)['a/Apply'] as Obj)['f:spec'] as Obj)['f:template'] as { 'f:spec': { 'f:containers': Obj } })['f:spec']['f:containers']['k:{"name":"c"}'] as Obj;
    assert.deepEqual(Object.keys(c['f:ports'] as Obj), ['k:{"containerPort":53,"protocol":"TCP"}', 'k:{"containerPort":53,"protocol":"UDP"}']);
    // Naming TCP explicitly is the same item as leaving the protocol out.
    const again = apply('a', out, dep([{ containerPort: 53, protocol: 'TCP', name: 'dns' }, { containerPort: 53, protocol: 'UDP' }]), { apiVersion: 'apps/v1' });
    const ports = ((again.spec as Obj).template as { spec: { containers: Array<{ ports: unknown[] }> } }).spec.containers[0]?.ports;
    assert.deepEqual(ports, [{ containerPort: 53, protocol: 'TCP', name: 'dns' }, { containerPort: 53, protocol: 'UDP' }]);
  });
});
