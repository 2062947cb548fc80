// Field ownership around kubectl's server-side apply, against the stored object: the file
// changed between the client-side and the server-side apply (kube lets kubectl take over its
// own client-side fields), update managers (label, patch, edit) keep what they set, another
// applier conflicts with 409 naming the manager and field, --force-conflicts transfers,
// and a client-side apply after the migration still diffs against an up-to-date annotation.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startKplane } from '../../framework/kplane.ts';
import { Kubectl } from '../../framework/kubectl.ts';

type Json = Record<string, unknown>;
interface Entry {
  manager: string;
  operation: string;
  fieldsV1: Json;
}
interface ConfigMap {
  data?: Record<string, string>;
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; managedFields?: Entry[] };
}

const cm = (name: string, data: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
const owner = (o: ConfigMap, manager: string, operation = 'Apply') => o.metadata.managedFields?.find((e) => e.manager === manager && e.operation === operation)?.fieldsV1;

test('kubectl: server-side apply ownership', { timeout: 600_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const k = new Kubectl(kp.kubeconfig);
  const dir = mkdtempSync(join(tmpdir(), 'kplane-ssa-owners-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(k.cacheDir, { recursive: true, force: true });
  });
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const get = async (name: string): Promise<ConfigMap> => JSON.parse(await k.ok(['get', 'cm', name, '-n', 'default', '-o', 'json', '--show-managed-fields'])) as ConfigMap;

  await t.test('a file changed since the client-side apply lands without a conflict', async () => {
    await k.ok(['apply', '-f', file('changed-1.json', cm('changed', { a: '1', c: '3' }))]);
    await k.ok(['apply', '--server-side', '-f', file('changed-2.json', cm('changed', { a: '2' }))]);
    const o = await get('changed');
    // c was in the last client-side apply and is no longer applied: kubectl owned it, it goes.
    assert.deepEqual(o.data, { a: '2' });
    assert.deepEqual(owner(o, 'kubectl'), { 'f:data': { 'f:a': {} } });
    assert.equal(owner(o, 'kubectl-client-side-apply', 'Update'), undefined);
  });

  await t.test('update managers keep their fields across re-applies', async () => {
    const f = file('kept.json', cm('kept', { a: '1' }));
    await k.ok(['apply', '-f', f]);
    await k.ok(['apply', '--server-side', '-f', f]);
    await k.ok(['label', 'cm', 'kept', '-n', 'default', 'extra=yes']);
    await k.ok(['patch', 'cm', 'kept', '-n', 'default', '--type=merge', '-p', '{"data":{"patched":"p"}}']);
    await k.ok(['apply', '--server-side', '-f', file('kept-2.json', cm('kept', { a: '2' }))]);
    const o = await get('kept');
    assert.deepEqual(o.data, { a: '2', patched: 'p' });
    assert.equal(o.metadata.labels?.extra, 'yes');
    assert.deepEqual(owner(o, 'kubectl-label', 'Update'), { 'f:metadata': { 'f:labels': { '.': {}, 'f:extra': {} } } });
    assert.deepEqual(owner(o, 'kubectl-patch', 'Update'), { 'f:data': { 'f:patched': {} } });
  });

  await t.test('another applier conflicts (409, manager and field named); --force-conflicts transfers', async () => {
    const f = file('contested.json', cm('contested', { a: '1', b: '1' }));
    await k.ok(['apply', '-f', f]);
    await k.ok(['apply', '--server-side', '-f', f]);
    const other = file('contested-other.json', cm('contested', { a: 'theirs' }));
    const r = await k.run(['apply', '--server-side', '--field-manager=helm', '-f', other]);
    assert.notEqual(r.code, 0);
    // kubectl prints this advice only for a 409 Conflict Status.
    assert.match(r.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.data\.a\nPlease review the fields above--they currently have other managers/);
    assert.deepEqual((await get('contested')).data, { a: '1', b: '1' });

    await k.ok(['apply', '--server-side', '--field-manager=helm', '--force-conflicts', '-f', other]);
    const o = await get('contested');
    assert.deepEqual(o.data, { a: 'theirs', b: '1' });
    assert.deepEqual(owner(o, 'helm'), { 'f:data': { 'f:a': {} } });
    assert.deepEqual(owner(o, 'kubectl'), { 'f:data': { 'f:b': {} } });
    // kubectl re-applying its file without a now conflicts with helm.
    const again = await k.run(['apply', '--server-side', '-f', f]);
    assert.match(again.stderr, /conflict with "helm": \.data\.a/);
  });

  await t.test('a field kubectl edit took over conflicts for kubectl, whatever the annotation says', async () => {
    const f = file('edited.json', cm('edited', { a: '1', b: '1' }));
    await k.ok(['apply', '-f', f]);
    await k.ok(['apply', '--server-side', '-f', f]);
    const editor = file('editor.sh', '#!/bin/sh\nsed -i \'s/a: "1"/a: edited/\' "$1"\n');
    chmodSync(editor, 0o755);
    await k.ok(['edit', 'cm', 'edited', '-n', 'default'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    const o = await get('edited');
    assert.deepEqual(o.data, { a: 'edited', b: '1' });
    assert.deepEqual(owner(o, 'kubectl-edit', 'Update'), { 'f:data': { 'f:a': {} } });
    assert.deepEqual(owner(o, 'kubectl'), { 'f:data': { 'f:b': {} } });

    const r = await k.run(['apply', '--server-side', '-f', f]);
    assert.match(r.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: \.data\.a\n/);
    await k.ok(['apply', '--server-side', '--force-conflicts', '-f', f]);
    const forced = await get('edited');
    assert.deepEqual(forced.data, { a: '1', b: '1' });
    assert.equal(owner(forced, 'kubectl-edit', 'Update'), undefined);
  });

  await t.test('/status: writes are owned per subresource; an apply there owns status only', async () => {
    const st = (labels: string, rest: string) => file('st.yaml', `apiVersion: workload.kcp.io/v1alpha1\nkind: SyncTarget\nmetadata: {name: st1${labels}}\n${rest}`);
    await k.ok(['apply', '--server-side', '-f', st('', 'spec: {cluster: c}\n')]);
    await k.ok(['patch', 'synctarget', 'st1', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Ready"}}']);
    type ST = { spec: { cluster: string }; status?: { phase?: string }; metadata: { labels?: Record<string, string>; managedFields?: Array<Entry & { subresource?: string }> } };
    const getST = async () => JSON.parse(await k.ok(['get', 'synctarget', 'st1', '-o', 'json', '--show-managed-fields'])) as ST;
    let o = await getST();
    assert.deepEqual(o.metadata.managedFields?.find((e) => e.manager === 'kubectl-patch')?.subresource, 'status');

    const statusFile = st(', labels: {x: "y"}', 'spec: {cluster: other}\nstatus: {phase: NotReady}\n');
    const r = await k.run(['apply', '--server-side', '--subresource=status', '--field-manager=ctrl', '-f', statusFile]);
    assert.match(r.stderr, /conflict with "kubectl-patch" with subresource "status" using workload\.kcp\.io\/v1alpha1: \.status\.phase/);
    await k.ok(['apply', '--server-side', '--subresource=status', '--field-manager=ctrl', '--force-conflicts', '-f', statusFile]);
    o = await getST();
    assert.equal(o.status?.phase, 'NotReady');
    assert.equal(o.spec.cluster, 'c');
    assert.equal(o.metadata.labels, undefined);
    const ctrl = o.metadata.managedFields?.find((e) => e.manager === 'ctrl');
    assert.deepEqual([ctrl?.operation, ctrl?.subresource, ctrl?.fieldsV1], ['Apply', 'status', { 'f:status': { 'f:phase': {} } }]);
  });

  await t.test('client-side apply after the migration diffs against the annotation server-side apply kept', async () => {
    await k.ok(['apply', '-f', file('back-1.json', cm('back', { a: '1' }))]);
    await k.ok(['apply', '--server-side', '-f', file('back-2.json', cm('back', { a: '1', b: '2' }))]);
    // b is only in the server-side applied file; client-side apply removes it only if the
    // annotation records it as applied.
    await k.ok(['apply', '-f', file('back-3.json', cm('back', { a: '1' }))]);
    assert.deepEqual((await get('back')).data, { a: '1' });
  });
});
