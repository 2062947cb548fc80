// The watch cache inside a real `kplane start`: 30 HTTP watches on one resource across
// workspaces and namespaces hold one backend storage watch (kplane_storage_watchers), each
// sees exactly its own events in order, and resourceVersion=0 lists come from memory and
// agree with consistent lists (selectors included).
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { test } from 'node:test';
import { eventually } from '../../framework/eventually.ts';
import { TestClient } from '../../framework/http.ts';
import { startKplane } from '../../framework/kplane.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON from the server
type Obj = any;

interface Stream {
  events: { type: string; object: Obj }[];
  close(): void;
}

function watch(c: TestClient, path: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const events: Stream['events'] = [];
    const req = request(new URL(path, c.base), { headers: { Authorization: `Bearer ${c.token}` }, ca: c.ca }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`watch ${path}: ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          events.push(JSON.parse(buf.slice(0, i)) as Stream['events'][number]);
          buf = buf.slice(i + 1);
        }
      });
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function storageWatchers(c: TestClient): Promise<number> {
  const text = (await c.get('/metrics', { headers: { Accept: 'text/plain' } })).text;
  const line = text.split('\n').find((l) => l.startsWith('kplane_storage_watchers{'));
  return Number(line?.split(' ').at(-1));
}

test('one backend watch serves many HTTP watches; RV=0 lists from memory', async () => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const c = new TestClient(kp.url, kp.caPem, kp.adminToken);
  for (const ns of ['a', 'b']) assert.equal((await c.post('/clusters/root/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
  const base = (ns: string) => `/clusters/root/api/v1/namespaces/${ns}/configmaps`;
  const rv0 = (await c.get(base('a'))).json.metadata.resourceVersion as string;
  const idle = await storageWatchers(c);

  const streams: { ns: string | undefined; s: Stream }[] = [];
  for (let i = 0; i < 30; i++) {
    const ns = [undefined, 'a', 'b'][i % 3];
    const path = ns ? `${base(ns)}?watch=1&resourceVersion=${rv0}` : `/clusters/root/api/v1/configmaps?watch=1&resourceVersion=${rv0}`;
    streams.push({ ns, s: await watch(c, path) });
  }
  assert.ok((await storageWatchers(c)) - idle <= 1, `30 watches, at most one more storage watch (was ${idle})`);

  const written: { ns: string; name: string; rv: string }[] = [];
  for (let i = 0; i < 20; i++) {
    const ns = i % 2 ? 'a' : 'b';
    const r = await c.post(base(ns), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm${i}` }, data: { i: String(i) } });
    assert.equal(r.status, 201);
    written.push({ ns, name: `cm${i}`, rv: r.json.metadata.resourceVersion });
  }
  for (const { ns, s } of streams) {
    const want = written.filter((w) => ns === undefined || w.ns === ns).map((w) => `ADDED ${w.ns}/${w.name}@${w.rv}`);
    await eventually(() => {
      const got = s.events.map((e) => `${e.type} ${e.object.metadata.namespace}/${e.object.metadata.name}@${e.object.metadata.resourceVersion}`);
      return [JSON.stringify(got) === JSON.stringify(want), `got ${got.length}/${want.length}: ${got.slice(-3).join(', ')}`];
    }, { timeoutMs: 60_000, what: `watch ${ns ?? '*'}` });
  }
  for (const { s } of streams) s.close();

  // resourceVersion=0 (any) from the cache agrees with a consistent list, selectors included.
  await eventually(async () => {
    const cached = (await c.get(`${base('a')}?resourceVersion=0`)).json;
    const fresh = (await c.get(base('a'))).json;
    const names = (l: Obj) => (l.items as Obj[]).map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).join(',');
    return [names(cached) === names(fresh) && Number(cached.metadata.resourceVersion) >= Number(written.at(-1)!.rv), `${names(cached)} vs ${names(fresh)}`];
  }, { timeoutMs: 30_000, what: 'cached list current' });
  const selected = (await c.get(`${base('b')}?resourceVersion=0&fieldSelector=metadata.name%3Dcm4`)).json;
  assert.deepEqual((selected.items as Obj[]).map((o) => o.metadata.name), ['cm4']);
  // Not older than N: from the cache once it has caught up to N, else from storage.
  const future = await c.get(`${base('a')}?resourceVersion=${Number(written.at(-1)!.rv)}`);
  assert.equal(future.status, 200);
  assert.equal((future.json.items as Obj[]).length, 10);
});
