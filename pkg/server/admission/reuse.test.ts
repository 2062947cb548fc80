import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { SyncTargetResource } from '../../../apis/workload/v1alpha1/synctarget.ts';
import { ConfigMapResource } from '../../../apis/core/v1/configmap.ts';
import { SecretResource } from '../../../apis/core/v1/secret.ts';
import { admit } from './admit.ts';
import { assertSameAsWhole, parseReusing, reusePlan, type ReusePlan } from './reuse.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';

/** The top-level keys a plan reuses as they are. */
function reusableKeys(schema: z.ZodType, input: Record<string, unknown>, old: Record<string, unknown>): Set<string> | undefined {
  return reusePlan(schema, input, old)?.reused;
}

/** A plan reusing these top-level keys and nothing below. */
function only(...keys: string[]): ReusePlan {
  return { reused: new Set(keys), nested: new Map() };
}

/** A stored SyncTarget: what admission made of a create. */
function stored(): Record<string, unknown> {
  const r = admit(SyncTargetResource, {
    apiVersion: 'workload.kcp.io/v1alpha1',
    kind: 'SyncTarget',
    metadata: { name: 'edge-1', labels: { region: 'eu' }, resourceVersion: '7' },
    spec: { cluster: 'kind-1', cells: { zone: 'a' } },
    status: {
      lastSyncerHeartbeatTime: '2026-12-02T10:00:00Z',
      phase: 'Ready',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-02T10:00:00Z' }],
      syncerIdentity: { serviceAccount: 'kplane-syncer-edge-1', namespace: 'default', clusterRole: 'kplane-syncer-edge-1', clusterRoleBinding: 'kplane-syncer-edge-1' },
    },
  }, { fieldValidation: 'Strict' });
  assert.ok(r.ok);
  return r.object;
}

/** What a merge patch of the status makes of it: a new top level and status, the rest the stored object's own. */
function statusPatched(old: Record<string, unknown>, status: Record<string, unknown>): Record<string, unknown> {
  return { ...old, status: { ...(old.status as Record<string, unknown>), ...status } };
}

test('a status write reuses the stored spec and metadata, and admits what a whole parse admits', () => {
  const old = stored();
  const input = statusPatched(old, { lastSyncerHeartbeatTime: '2026-12-02T10:00:01Z' });
  assert.deepEqual([...reusableKeys(SyncTargetResource.schema, input, old) ?? []].sort(), ['metadata', 'spec']);
  const r = admit(SyncTargetResource, input, { fieldValidation: 'Strict', old });
  assert.ok(r.ok);
  const whole = SyncTargetResource.schema.parse(input);
  assert.equal(JSON.stringify(r.object), JSON.stringify(whole), 'same values in the same key order');
  // Shallow copies: what callers set on the admitted object never reaches the stored one.
  assert.notEqual(r.object.metadata, old.metadata);
  assert.equal((r.object.metadata as Record<string, unknown>).labels, (old.metadata as Record<string, unknown>).labels, 'deeper values are shared');
  (r.object.metadata as Record<string, unknown>).resourceVersion = '99';
  assert.equal((old.metadata as Record<string, unknown>).resourceVersion, '7');
});

test('the changed part is still judged: invalid values and unknown fields under it, with full paths', () => {
  const old = stored();
  const bad = statusPatched(old, { phase: 'Sideways', surprise: 1 });
  const strict = admit(SyncTargetResource, bad, { fieldValidation: 'Strict', old });
  assert.ok(!strict.ok);
  assert.deepEqual(strict.causes, [{ reason: 'FieldValueInvalid', field: 'status.surprise', message: 'unknown field "status.surprise"' }]);
  const warn = admit(SyncTargetResource, bad, { fieldValidation: 'Warn', old });
  const whole = admit(SyncTargetResource, bad, { fieldValidation: 'Warn' });
  assert.ok(!warn.ok && !whole.ok);
  assert.deepEqual(warn.causes, whole.causes, 'the same 422 causes as without reuse');
  assert.ok(warn.causes.some((c) => c.field === 'status.phase'));
});

test('input in another key order comes out in the schema order, as a whole parse gives it', () => {
  const old = stored();
  const { status, spec, metadata, kind, apiVersion } = statusPatched(old, { phase: 'NotReady' });
  const shuffled = { status, spec, metadata, kind, apiVersion };
  const r = admit(SyncTargetResource, shuffled, { old });
  assert.ok(r.ok);
  assert.equal(JSON.stringify(r.object), JSON.stringify(SyncTargetResource.schema.parse(shuffled)));
});

test('a spec that is a new object is parsed again (defaults applied), even when equal', () => {
  const old = stored();
  const input = { ...old, spec: { cluster: 'kind-2' } };
  assert.deepEqual([...reusableKeys(SyncTargetResource.schema, input, old) ?? []], ['metadata', 'status']);
  const r = admit(SyncTargetResource, input, { old });
  assert.ok(r.ok);
  assert.deepEqual(r.object.spec, { cluster: 'kind-2', unschedulable: false });
});

test('schemas that judge across fields are parsed whole: refinements, catchalls, transforms', () => {
  const refined = z.object({ a: z.object({ x: z.number() }), b: z.number() }).refine((v) => v.a.x < v.b);
  const old = { a: { x: 5 }, b: 9 };
  assert.equal(reusableKeys(refined, { ...old, b: 1 }, old), undefined);
  assert.equal(reusableKeys(z.object({ a: z.object({}) }).passthrough(), old, old), undefined);
  // Secret's stringData → data is a transform over the whole object.
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'dg==' } };
  assert.equal(reusableKeys(SecretResource.schema, { ...secret }, secret), undefined);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } };
  assert.deepEqual([...reusableKeys(ConfigMapResource.schema, { ...cm, data: { k: 'w' } }, cm) ?? []], ['metadata']);
});

test('a default for a key the input lacks is filled in, an optional one stays absent, as in a whole parse', () => {
  const schema = z.object({ meta: z.object({ n: z.string() }), level: z.number().default(3), note: z.string().optional() });
  const old = { meta: { n: 'a' }, level: 3 };
  const input = { meta: old.meta };
  const split = parseReusing(schema, input, only('meta'));
  assert.deepEqual(split, { success: true, data: { meta: { n: 'a' }, level: 3 } });
  assertSameAsWhole(schema, input, split);
});

test('a reused part keeps the stored key order; the self-check accepts that and nothing else', () => {
  const old = stored();
  // As the registry stores it: uid and the like appended after admission.
  const live = { ...old, metadata: { ...(old.metadata as object), uid: 'u-1', creationTimestamp: '2026-12-02T10:00:00Z' } };
  const input = statusPatched(live, { phase: 'NotReady' });
  const r = admit(SyncTargetResource, input, { old: live });
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.object.metadata as object), Object.keys(live.metadata));
  assert.deepEqual(Object.keys(r.object), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const split = parseReusing(SyncTargetResource.schema as z.ZodObject, input, only('metadata', 'spec'));
  assertSameAsWhole(SyncTargetResource.schema, input, split);
  assert.ok(split.success);
  const reordered = { ...split, data: { status: split.data.status, ...split.data } };
  assert.throws(() => assertSameAsWhole(SyncTargetResource.schema, input, reordered), /disagrees/, 'top-level order is checked');
});

test('the self-check throws when the split parse and a whole parse disagree', () => {
  const schema = z.object({ spec: z.object({ x: z.number() }), n: z.number() });
  // A stored value the schema would now strip: reusing it keeps the key a whole parse drops.
  const old = { spec: { x: 1, gone: true }, n: 1 };
  const input = { ...old, n: 2 };
  const split = parseReusing(schema, input, only('spec'));
  assert.throws(() => assertSameAsWhole(schema, input, split), /disagrees with a whole parse/);
  // And an outcome that differs: the split fails where the whole parse would too, so no throw.
  const failing = parseReusing(schema, { ...old, n: 'x' }, only('spec'));
  assert.equal(failing.success, false);
  assertSameAsWhole(schema, { ...old, n: 'x' }, failing);
});

test('a JSON patch that moves a stored value to another field gets it parsed there: reuse is by position, not by identity alone', () => {
  const old = stored();
  // The stored status moved into spec's place, and spec out of the way.
  const moved = applyJsonPatch(old, [
    { op: 'move', from: '/spec', path: '/oldspec' },
    { op: 'move', from: '/status', path: '/spec' },
  ]) as Record<string, unknown>;
  assert.equal(moved.spec, old.status, 'the stored status object itself, now under spec');
  assert.deepEqual([...reusableKeys(SyncTargetResource.schema, moved, old) ?? []], ['metadata']);
  const r = admit(SyncTargetResource, moved, { fieldValidation: 'Strict', old });
  assert.ok(!r.ok, 'a status is no spec: refused as a whole parse refuses it');
  const whole = admit(SyncTargetResource, moved, { fieldValidation: 'Strict' });
  assert.ok(!whole.ok);
  assert.deepEqual(r.causes, whole.causes);
  assert.equal((old.spec as Record<string, unknown>).cluster, 'kind-1', 'the stored object is untouched');
});

test('an own __proto__ key next to reused parts is an unknown field, as in a whole parse', () => {
  const old = stored();
  const input = applyMergePatch(old, JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>);
  assert.ok(Object.hasOwn(input, '__proto__'));
  assert.deepEqual([...reusableKeys(SyncTargetResource.schema, input, old) ?? []].sort(), ['metadata', 'spec', 'status']);
  for (const fieldValidation of ['Strict', 'Warn'] as const) {
    assert.deepEqual(admit(SyncTargetResource, input, { fieldValidation, old }), admit(SyncTargetResource, input, { fieldValidation }), fieldValidation);
  }
  const strict = admit(SyncTargetResource, input, { fieldValidation: 'Strict', old });
  assert.ok(!strict.ok);
  assert.deepEqual(strict.causes.map((c) => c.field), ['__proto__']);
});

test('one level down: a heartbeat reuses the stored conditions inside a new status, and admits what a whole parse admits', () => {
  const old = stored();
  const oldStatus = old.status as Record<string, unknown>;
  const input = applyMergePatch(old, { status: { lastSyncerHeartbeatTime: '2026-12-02T10:00:01Z' } });
  const plan = reusePlan(SyncTargetResource.schema, input, old);
  assert.deepEqual([...plan?.reused ?? []].sort(), ['metadata', 'spec']);
  assert.deepEqual([...plan?.nested.get('status')?.plan.reused ?? []].sort(), ['conditions', 'syncerIdentity']);
  const r = admit(SyncTargetResource, input, { fieldValidation: 'Strict', old });
  assert.ok(r.ok);
  assert.equal(JSON.stringify(r.object), JSON.stringify(SyncTargetResource.schema.parse(input)), 'same values in the same key order');
  const status = r.object.status as Record<string, unknown>;
  assert.equal(status.lastSyncerHeartbeatTime, '2026-12-02T10:00:01Z');
  assert.notEqual(status, oldStatus, 'the changed level is a new object (callers may set fields on it)');
  assert.equal(status.conditions, oldStatus.conditions, 'below it, the stored values themselves: the ownership walk skips them by identity');
  assert.equal(status.syncerIdentity, oldStatus.syncerIdentity);
  (r.object.status as Record<string, unknown>).phase = 'NotReady';
  assert.equal(oldStatus.phase, 'Ready', 'the stored status is untouched');
});

test('one level down, what changed is still judged with full paths: values, unknown fields, an own __proto__ key', () => {
  const old = stored();
  const cases: Record<string, unknown>[] = [
    applyMergePatch(old, { status: { phase: 'Sideways' } }),
    applyMergePatch(old, { status: { syncerIdentity: { bogus: 1 } } }),
    applyMergePatch(old, { status: JSON.parse('{"__proto__": {"x": 1}, "phase": "NotReady"}') as Record<string, unknown> }),
    applyMergePatch(old, { status: { conditions: [{ type: '', status: 'Maybe' }] } }),
  ];
  for (const input of cases) {
    assert.ok(reusePlan(SyncTargetResource.schema, input, old)?.nested.has('status'), 'the status is planned one level down');
    for (const fieldValidation of ['Strict', 'Warn'] as const) {
      const split = admit(SyncTargetResource, input, { fieldValidation, old });
      const whole = admit(SyncTargetResource, input, { fieldValidation });
      assert.deepEqual(split, whole, `${fieldValidation}: the same answer as without reuse for ${JSON.stringify(input.status)}`);
    }
  }
  const unknown = admit(SyncTargetResource, cases[1]!, { fieldValidation: 'Strict', old });
  assert.ok(!unknown.ok);
  assert.deepEqual(unknown.causes.map((c) => c.field), ['status.syncerIdentity.bogus']);
  const proto = admit(SyncTargetResource, cases[2]!, { fieldValidation: 'Strict', old });
  assert.ok(!proto.ok, 'an own __proto__ key is an unknown field, not a prototype');
  assert.deepEqual(proto.causes.map((c) => c.field), ['status.__proto__']);
});

test('one level down only through plain objects: an optional z.object qualifies, a refined or defaulted one is parsed whole', () => {
  const inner = z.object({ list: z.array(z.number()), n: z.number() });
  const old = { a: { list: [1], n: 1 }, b: { list: [2], n: 2 }, c: { list: [3], n: 3 } };
  const schema = z.object({ a: inner.optional(), b: inner.refine((v) => v.n > 0), c: inner.default({ list: [], n: 0 }) });
  const input = { a: { ...old.a, n: 5 }, b: { ...old.b, n: 5 }, c: { ...old.c, n: 5 } };
  const plan = reusePlan(schema, input, old);
  assert.deepEqual([...plan?.nested.keys() ?? []], ['a']);
  assert.deepEqual([...plan?.nested.get('a')?.plan.reused ?? []], ['list']);
  const split = parseReusing(schema, input, plan!);
  assertSameAsWhole(schema, input, split);
  // A stored value in another field's place is not its own there.
  assert.equal(reusePlan(schema, { a: { list: old.b.list, n: 1 } }, old)?.nested.get('a'), undefined);
});
