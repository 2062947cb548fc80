// Slow watchers (issue 14.8): a watcher that never reads, while a large ConfigMap is updated
// many times, is closed by the server once its bounded buffer is full and stays full; the
// bytes buffered for it never pass the bound, its registration is released, and a reading
// watcher of the same resource sees every update meanwhile. The 1 MiB PUTs on one keep-alive
// connection also guard serving.ts's keepParserOffTheHandle (HPE_PAUSED resets otherwise).
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { type Kplane, startKplane } from '../framework/kplane.ts';
import { TestClient } from '../framework/http.ts';
import { rawConnect } from './availability-support.ts';

const CM = '/api/v1/namespaces/default/configmaps';
const WAIT = { timeoutMs: 120_000, intervalMs: 250 };
/** pkg/server/httpx/event-stream.ts's default bound, plus one event (an object ≤ 1.5 MiB). */
const BUFFER_BOUND = 1024 * 1024 + 2 * 1024 * 1024;

describe('slow watchers', () => {
  let kp: Kplane;
  let http: TestClient;
  before(async () => {
    kp = await startKplane({ args: ['--controllers', '-'] });
    http = new TestClient(kp.url, kp.caPem, kp.adminToken);
  });
  after(async () => kp?.[Symbol.asyncDispose]());

  test('a watcher that never reads is closed with a bounded buffer; a reading watcher gets every update', async () => {
    const created = await http.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { v: '0'.repeat(1024 * 1024) } });
    assert.equal(created.status, 201, created.text.slice(0, 200));
    const rv = created.json.metadata.resourceVersion as string;
    const watchPath = `${CM}?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dbig`;

    // The stalled watcher: a raw connection whose socket is paused before any event arrives.
    const stalled = await rawConnect(kp, `GET ${watchPath} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${kp.adminToken}\r\n\r\n`);
    stalled.socket.pause();

    // The reading watcher counts MODIFIED events as they come.
    let modified = 0;
    let reader: import('node:http').IncomingMessage | undefined;
    const reading = request(new URL(watchPath, kp.url), { headers: { Authorization: `Bearer ${kp.adminToken}` }, ca: kp.caPem }, (res) => {
      reader = res;
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          if ((JSON.parse(buf.slice(0, nl)) as { type: string }).type === 'MODIFIED') modified++;
          buf = buf.slice(nl + 1);
        }
      });
    });
    reading.on('error', (err) => console.error('reading watch error', err));
    reading.end();
    await eventually(() => [reader !== undefined, 'the reading watch is open'], WAIT);

    const updates = 40;
    for (let i = 1; i <= updates; i++) {
      const r = await http.put(`${CM}/big`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { v: String(i % 10).repeat(1024 * 1024) } });
      assert.equal(r.status, 200, r.text.slice(0, 200));
    }
    await eventually(() => [modified === updates, `the reading watcher saw ${modified}/${updates} updates`], WAIT);

    await eventually(() => {
      const line = kp.logs.find((l) => l.message === 'watch closed: the client does not read fast enough');
      return [line !== undefined, 'the stalled watcher was not closed'];
    }, WAIT);
    const line = kp.logs.find((l) => l.message === 'watch closed: the client does not read fast enough')!;
    assert.ok(Number(line.peakBufferedBytes) <= BUFFER_BOUND, `peak buffer ${String(line.peakBufferedBytes)} > ${BUFFER_BOUND}`);

    // Reading now drains what the kernel held and then meets the end of the connection.
    stalled.socket.resume();
    await eventually(() => [stalled.closed(), 'the stalled watcher connection is still open'], WAIT);

    // Only the reading watch is still registered.
    await eventually(async () => {
      const m = await http.get('/metrics', { headers: { Accept: 'text/plain' } });
      const g = /apiserver_registered_watchers\{group="",resource="configmaps"\} (\d+)/.exec(m.text);
      return [g?.[1] === '1', `registered configmap watchers: ${g?.[1]}`];
    }, WAIT);
    const m = await http.get('/metrics', { headers: { Accept: 'text/plain' } });
    assert.match(m.text, /apiserver_terminated_watchers_total\{group="",resource="configmaps"\} 1\b/);
    reader?.destroy();
    reading.destroy();
  });
});

