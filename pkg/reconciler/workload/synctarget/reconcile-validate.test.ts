import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getCondition } from '../../../conditions/conditions.ts';
import { validate } from './reconcile-validate.ts';
import { fakeDeps, stepContext, syncTarget } from './testing.ts';

const secret = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'kc', namespace: 'default', annotations: { 'kcp.io/cluster': 'root:org' } },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: p, cluster: {server: "https://10.0.0.1:6443"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: p, user: u}}]
current-context: c
`;

async function run(st = syncTarget(), secrets: ReturnType<typeof secret>[] = []) {
  const ctx = stepContext(st, fakeDeps({ now: 0 }, {}, secrets));
  const r = await validate.run(ctx);
  return { r, c: getCondition(ctx.conditions, 'Valid') };
}

test('a complete spec is Valid', async () => {
  const { r, c } = await run();
  assert.equal(r.status, 'complete');
  assert.equal(c?.status, 'True');
});

test('missing cells, bad capacity: Valid=False and wait (no hot loop)', async () => {
  let out = await run(syncTarget({ spec: { cluster: 'x' } }));
  assert.equal(out.r.status, 'wait');
  assert.deepEqual([out.c?.status, out.c?.reason], ['False', 'MissingCells']);
  out = await run(syncTarget({ spec: { cluster: 'x', cells: { a: 'b' }, capacity: { cpu: '-1' } } }));
  assert.deepEqual([out.c?.reason, out.r.status], ['InvalidCapacity', 'wait']);
});

test('kubeconfigSecretRef: missing Secret, missing key, garbage, good', async () => {
  const st = syncTarget({ spec: { cluster: 'x', cells: { a: 'b' }, kubeconfigSecretRef: { namespace: 'default', name: 'kc' } } });
  const missing = await run(st);
  assert.deepEqual([missing.c?.reason, missing.r.status], ['SecretNotFound', 'retry'], 'polled for: an unlabelled Secret created later sends no event');
  assert.equal((await run(st, [secret({ other: 'x' })])).c?.reason, 'InvalidKubeconfig');
  assert.equal((await run(st, [secret({ kubeconfig: 'not: [valid' })])).c?.reason, 'InvalidKubeconfig');
  assert.equal((await run(st, [secret({ kubeconfig: KUBECONFIG })])).c?.status, 'True');
});
