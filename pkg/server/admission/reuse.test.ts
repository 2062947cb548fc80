import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { SyncTargetResource } from '../../../apis/workload/v1alpha1/synctarget.ts';
import { ConfigMapResource } from '../../../apis/core/v1/configmap.ts';
import { SecretResource } from '../../../apis/core/v1/secret.ts';
import { admit } from './admit.ts';
import { assertSameAsWhole, parseReusing, reusableKeys } from './reuse.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';

/** A stored SyncTarget: what admission made of a create. */
function stored(): Record<string, unknown> {
  const r = admit(SyncTargetResource, {
    apiVersion: 'workload.kcp.io/v1alpha1',
    kind: 'SyncTarget',
    metadata: { name: 'edge-1', labels: { region: 'eu' }, resourceVersion: '7' },
    spec: { cluster: 'kind-1', cells: { zone: 'a' } },
    status: { lastSyncerHeartbeatTime: '2026-12-02T10:00:00Z', phase: 'Ready' },
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
  const split = parseReusing(schema, input, new Set(['meta']));
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
  const split = parseReusing(SyncTargetResource.schema as z.ZodObject, input, new Set(['metadata', 'spec']));
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
  const split = parseReusing(schema, input, new Set(['spec']));
  assert.throws(() => assertSameAsWhole(schema, input, split), /disagrees with a whole parse/);
  // And an outcome that differs: the split fails where the whole parse would too, so no throw.
  const failing = parseReusing(schema, { ...old, n: 'x' }, new Set(['spec']));
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
