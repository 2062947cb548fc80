// kubectl's client-side → server-side apply migration on every served type that can be
// applied (the *Review kinds are create-only): `kubectl apply -f` then
// `kubectl apply --server-side -f` must keep every field, move ownership from
// kubectl-client-side-apply to kubectl, and keep the last-applied annotation in step with
// what was applied (kube-apiserver rewrites it for the "kubectl" manager). Then a changed
// file lands, and a field dropped from the file disappears. Every step reads the stored
// object back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startKplane } from '../../framework/kplane.ts';
import { Kubectl } from '../../framework/kubectl.ts';
import { canonicalJson } from '../../../pkg/server/patch/json-value.ts';
import { type ApplyCase, APPLY_CASES } from './ssa-cases.ts';

type Json = Record<string, unknown>;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Every leaf of `expected` is in `actual` with the same value; lists match item by item. */
function assertContains(actual: unknown, expected: unknown, at = ''): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${at}: expected a list, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${at}: list length ${JSON.stringify(actual)}`);
    expected.forEach((e, i) => assertContains(actual[i], e, `${at}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${at}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) assertContains((actual as Json)[k], v, `${at}.${k}`);
    return;
  }
  assert.deepEqual(actual, expected, `${at}`);
}

/** What kube-apiserver writes into the annotation for an apply by "kubectl": the configuration as Go encodes it. */
const lastAppliedFor = (config: Json) => `${canonicalJson(config)}\n`;

interface Entry {
  manager: string;
  operation: string;
  fieldsV1: Json;
}

test('kubectl: client-side apply then server-side apply, every type', { timeout: 900_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const k = new Kubectl(kp.kubeconfig);
  const dir = mkdtempSync(join(tmpdir(), 'kplane-ssa-migration-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(k.cacheDir, { recursive: true, force: true });
  });
  const file = (name: string, obj: Json) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(obj, null, 2));
    return p;
  };
  const read = async (c: ApplyCase): Promise<Json> =>
    JSON.parse(await k.ok(['get', c.resource, c.name, ...(c.namespaced ? ['-n', 'default'] : []), '-o', 'json', '--show-managed-fields'])) as Json;
  const meta = (o: Json) => o.metadata as { annotations?: Record<string, string>; managedFields?: Entry[]; labels?: Record<string, string> };

  for (const c of APPLY_CASES) {
    await t.test(c.kind, async () => {
      const f1 = file(`${c.kind}-1.json`, c.v1);
      await k.ok(['apply', '-f', f1]);
      const csa = await read(c);
      assert.ok(meta(csa).managedFields?.some((e) => e.manager === 'kubectl-client-side-apply' && e.operation === 'Update'));

      // The migration: nothing is lost, kubectl owns what client-side apply owned.
      await k.ok(['apply', '--server-side', '-f', f1]);
      const migrated = await read(c);
      assertContains(migrated, c.v1);
      assert.equal(meta(migrated).annotations?.[LAST_APPLIED], lastAppliedFor(c.v1));
      const managers = (meta(migrated).managedFields ?? []).map((e) => `${e.manager}/${e.operation}`);
      assert.ok(managers.includes('kubectl/Apply'), managers.join(','));
      assert.ok(!managers.includes('kubectl-client-side-apply/Update'), managers.join(','));
      // kubectl hands the annotation to its own manager so that dropping it from kubectl's set keeps it.
      const holder = meta(migrated).managedFields?.find((e) => e.manager === 'kubectl-last-applied');
      assert.deepEqual(holder?.fieldsV1, { 'f:metadata': { 'f:annotations': { [`f:${LAST_APPLIED}`]: {} } } });
      // No manager owns the logical-cluster annotation the server maintains.
      assert.ok(!JSON.stringify(meta(migrated).managedFields).includes('kcp.io/cluster'));

      // Re-applying is a no-op (byte-identical managedFields and resourceVersion).
      await k.ok(['apply', '--server-side', '-f', f1]);
      const again = await read(c);
      assert.equal((again.metadata as Json).resourceVersion, (migrated.metadata as Json).resourceVersion);

      // A changed field lands; nothing else moves.
      await k.ok(['apply', '--server-side', '-f', file(`${c.kind}-2.json`, c.v2)]);
      const changed = await read(c);
      assertContains(changed, c.v2);
      assert.equal(meta(changed).annotations?.[LAST_APPLIED], lastAppliedFor(c.v2));

      // A field dropped from the file is removed: kubectl owned it.
      await k.ok(['apply', '--server-side', '-f', file(`${c.kind}-3.json`, c.v3)]);
      const dropped = await read(c);
      assertContains(dropped, c.v3);
      assert.equal(c.dropped(dropped), undefined, `${c.kind}: the dropped field is still there`);
      assert.equal(meta(dropped).labels?.tier, undefined);
      assert.equal(meta(dropped).annotations?.[LAST_APPLIED], lastAppliedFor(c.v3));
    });
  }
});
