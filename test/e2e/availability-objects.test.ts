// Unbounded object growth (issue 14.7): every write path — create, update, merge/JSON/strategic
// patch, server-side apply, status — refuses an object over 1.5 MiB with 413 on both backends,
// the copy-amplifying JSON patch is refused with nothing stored, and a list of many large
// objects is still served (streamed).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kplane, startKplane } from '../framework/kplane.ts';
import { TestClient } from '../framework/http.ts';
import { startEtcd, type EtcdFixture } from '../integration/storage/etcd-fixture.ts';

const NS = '/api/v1/namespaces/default';
const CM = `${NS}/configmaps`;
const MiB = 1024 * 1024;

function configMap(name: string, data: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

function assertTooLarge(r: { status: number; json: { reason?: string; kind?: string } }, what: string): void {
  assert.equal(r.status, 413, `${what}: ${JSON.stringify(r.json)?.slice(0, 300)}`);
  assert.equal(r.json.kind, 'Status');
  assert.equal(r.json.reason, 'RequestEntityTooLarge');
}

for (const backend of ['sqlite', 'etcd'] as const) {
  describe(`object size limit (${backend})`, () => {
    let etcd: EtcdFixture | undefined;
    let kp: Kplane;
    let http: TestClient;
    before(async () => {
      const args = ['--controllers', '-'];
      if (backend === 'etcd') {
        etcd = await startEtcd();
        args.push('--storage', 'etcd', '--etcd-servers', etcd.endpoints.join(','));
      }
      kp = await startKplane({ args });
      http = new TestClient(kp.url, kp.caPem, kp.adminToken);
    });
    after(async () => {
      await kp?.[Symbol.asyncDispose]();
      await etcd?.stop();
    });

    test('the 8 KB copy-amplifying JSON patch is refused and nothing is stored', async () => {
      const created = await http.post(CM, configMap('amp', { big: 'a'.repeat(MiB) }));
      assert.equal(created.status, 201, created.text.slice(0, 300));
      const ops = Array.from({ length: 150 }, (_, i) => ({ op: 'copy', from: '/data/big', path: `/data/${i}` }));
      const body = JSON.stringify(ops);
      assert.ok(body.length < 8 * 1024, `the patch is ${body.length} bytes`);
      const r = await http.patch(`${CM}/amp`, body, 'application/json-patch+json');
      assert.ok(r.status === 422 || r.status === 413, `status ${r.status}: ${r.text.slice(0, 300)}`);
      // One copy passes the copy budget but not the object limit.
      const one = await http.patch(`${CM}/amp`, [{ op: 'copy', from: '/data/big', path: '/data/c0' }], 'application/json-patch+json');
      assertTooLarge(one, 'one copy of 1 MiB');
      const now = await http.get(`${CM}/amp`);
      assert.equal(now.json.metadata.resourceVersion, created.json.metadata.resourceVersion, 'nothing was written');
      assert.deepEqual(Object.keys(now.json.data), ['big']);
    });

    test('create, update, merge and strategic patch, apply and status all stop at the limit', async () => {
      assertTooLarge(await http.post(CM, configMap('big', { a: 'b'.repeat(2 * MiB) })), 'create');
      assert.equal((await http.get(`${CM}/big`)).status, 404, 'nothing created');

      const base = await http.post(CM, configMap('grow', { a: 'c'.repeat(MiB) }));
      assert.equal(base.status, 201);
      const rv = base.json.metadata.resourceVersion as string;
      assertTooLarge(await http.put(`${CM}/grow`, configMap('grow', { a: 'c'.repeat(MiB), b: 'd'.repeat(MiB) })), 'update');
      assertTooLarge(await http.patch(`${CM}/grow`, { data: { b: 'e'.repeat(MiB) } }, 'application/merge-patch+json'), 'merge patch');
      assertTooLarge(await http.patch(`${CM}/grow`, { data: { b: 'f'.repeat(MiB) } }, 'application/strategic-merge-patch+json'), 'strategic patch');
      const apply = configMap('grow', { a: 'c'.repeat(MiB), b: 'g'.repeat(MiB) });
      assertTooLarge(await http.patch(`${CM}/grow?fieldManager=t&force=true`, apply, 'application/apply-patch+yaml'), 'server-side apply');
      assertTooLarge(await http.patch(`${CM}/apply-new?fieldManager=t`, configMap('apply-new', { b: 'h'.repeat(2 * MiB) }), 'application/apply-patch+yaml'), 'apply create');
      assert.equal((await http.get(`${CM}/grow`)).json.metadata.resourceVersion, rv, 'nothing was written');

      const deploy = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'st' },
        spec: { selector: { matchLabels: { app: 'st' } }, template: { metadata: { labels: { app: 'st' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
      };
      const d = await http.post('/apis/apps/v1/namespaces/default/deployments', deploy);
      assert.equal(d.status, 201, d.text.slice(0, 300));
      const status = { ...d.json, status: { conditions: [{ type: 'Available', status: 'True', message: 'm'.repeat(2 * MiB) }] } };
      assertTooLarge(await http.put('/apis/apps/v1/namespaces/default/deployments/st/status', status), 'status update');
    });

    test('an apply body nested deeper than 512 levels in block-style YAML is 400, like JSON', async () => {
      let yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n  annotations:\n    x: "1"\nextra:\n';
      for (let i = 0; i < 600; i++) yaml += `${' '.repeat(2 * i + 2)}k:\n`;
      const r = await http.patch(`${CM}/deep?fieldManager=t`, yaml, 'application/apply-patch+yaml');
      assert.equal(r.status, 400, r.text.slice(0, 300));
      assert.match(r.json.message, /nests deeper than 512 levels/);
      assert.equal((await http.get(`${CM}/deep`)).status, 404);
    });

    test('a list of many large objects is served, streamed', async () => {
      const n = 12;
      for (let i = 0; i < n; i++) {
        const r = await http.post(`${NS}/configmaps`, configMap(`large-${i}`, { v: 'v'.repeat(1200 * 1024) }));
        assert.equal(r.status, 201, r.text.slice(0, 200));
      }
      for (const path of [`${CM}?labelSelector=`, '/clusters/*/api/v1/configmaps']) {
        const list = await http.get(path);
        assert.equal(list.status, 200, list.text.slice(0, 200));
        assert.equal(list.headers['transfer-encoding'], 'chunked', 'a large list is streamed');
        const names = (list.json.items as { metadata: { name: string } }[]).map((o) => o.metadata.name).filter((x) => x.startsWith('large-'));
        assert.equal(names.length, n, path);
        assert.equal(list.json.kind, 'ConfigMapList');
      }
    });
  });
}
