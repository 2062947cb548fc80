// Availability under hostile bodies (issue 14.6, 14.9, 13.11): answers reach clients that are
// still sending, unread bodies are not drained forever, slow bodies are cut, connections are
// bounded per address — and an ordinary client keeps getting answers throughout.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { type Kplane, startKplane } from '../framework/kplane.ts';
import { TestClient } from '../framework/http.ts';
import { rawConnect, statusOf, trickle, uploadLarge } from './availability-support.ts';

const CM = '/api/v1/namespaces/default/configmaps';
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };

describe('bodies and connections', () => {
  let kp: Kplane;
  let admin: TestClient;
  before(async () => {
    kp = await startKplane({ args: ['--controllers', '-', '--request-body-timeout', '2s'] });
    admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  });
  after(async () => kp?.[Symbol.asyncDispose]());

  test('413 reaches a Node client still sending a 4 MiB body (Content-Length and chunked)', async () => {
    for (const chunked of [false, true]) {
      const res = await uploadLarge(kp, CM, 4 * 1024 * 1024, { chunked, token: kp.adminToken });
      assert.equal(res.status, 413, `chunked=${chunked}: ${res.body.slice(0, 200)}`);
      const status = JSON.parse(res.body) as { kind: string; reason: string; code: number };
      assert.equal(status.kind, 'Status');
      assert.equal(status.reason, 'RequestEntityTooLarge');
    }
  });

  test('413 reaches Python urllib (which sends the whole body before reading, with Connection: close)', () => {
    const py = `
import ssl, sys, urllib.request, urllib.error, json
ctx = ssl.create_default_context(cafile=sys.argv[2])
req = urllib.request.Request(sys.argv[1], data=b' ' * (4 * 1024 * 1024), method='POST',
    headers={'Authorization': 'Bearer ' + sys.argv[3], 'Content-Type': 'application/json'})
try:
    urllib.request.urlopen(req, context=ctx)
    print('no error')
except urllib.error.HTTPError as e:
    print(e.code, json.loads(e.read())['reason'])
`;
    const caFile = `${kp.rootDir}/ca.crt`;
    const r = spawnSync('python3', ['-c', py, new URL(CM, kp.url).toString(), caFile, kp.adminToken], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.stdout.trim(), '413 RequestEntityTooLarge', `stderr: ${r.stderr}`);
  });

  test('after a 401 the trickled rest of the body is not read forever: the socket is closed', async () => {
    const conn = await rawConnect(kp, `POST ${CM} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{`);
    const stop = trickle(conn);
    try {
      await eventually(() => [statusOf(conn.received()) === 401, `got ${JSON.stringify(conn.received().slice(0, 80))}`], WAIT);
      await eventually(() => [conn.closed(), 'socket still open while the client trickles'], WAIT);
    } finally {
      stop();
      conn.socket.destroy();
    }
  });

  test('an authenticated body trickled past the body deadline is answered 408 and the socket closed', async () => {
    const conn = await rawConnect(
      kp,
      `POST ${CM} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${kp.adminToken}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
    );
    const stop = trickle(conn);
    try {
      await eventually(() => [statusOf(conn.received()) === 408, `got ${JSON.stringify(conn.received().slice(0, 80))}`], WAIT);
      assert.match(conn.received(), /"reason":"Timeout"/);
      await eventually(() => [conn.closed(), 'socket still open while the client trickles'], WAIT);
      const list = await admin.get(CM);
      assert.equal(list.status, 200);
      assert.equal((list.json.items as unknown[]).length, 0, 'nothing was stored');
    } finally {
      stop();
      conn.socket.destroy();
    }
  });

  test('200 anonymous tricklers lose their sockets; an ordinary client is answered meanwhile', async () => {
    const conns = await Promise.all(
      Array.from({ length: 200 }, () => rawConnect(kp, `POST ${CM} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n`)),
    );
    const stops = conns.map((c) => trickle(c, 500));
    try {
      const res = await admin.get('/api/v1/namespaces/default/configmaps');
      assert.equal(res.status, 200);
      await eventually(() => {
        const open = conns.filter((c) => !c.closed()).length;
        return [open === 0, `${open} trickling connections still open`];
      }, WAIT);
      assert.ok(conns.every((c) => statusOf(c.received()) === 401), 'every trickler was answered 401 first');
      const m = await admin.get('/metrics', { headers: { Accept: 'text/plain' } });
      const cut = /kplane_connections_closed_total\{reason="linger_deadline"\} (\d+)/.exec(m.text);
      assert.ok(Number(cut?.[1]) >= 200, `linger_deadline closes: ${cut?.[1]}`);
    } finally {
      for (const s of stops) s();
      for (const c of conns) c.socket.destroy();
    }
  });
});

describe('per-address connection cap', () => {
  let kp: Kplane;
  before(async () => {
    kp = await startKplane({ args: ['--controllers', '-', '--max-connections-per-ip', '20'] });
  });
  after(async () => kp?.[Symbol.asyncDispose]());

  test('connections beyond the cap are closed at once; freed slots serve again', async () => {
    const head = 'GET /version HTTP/1.1\r\nHost: x\r\n\r\n';
    const conns: Awaited<ReturnType<typeof rawConnect>>[] = [];
    for (let i = 0; i < 20; i++) conns.push(await rawConnect(kp, head));
    await eventually(() => [conns.every((c) => statusOf(c.received()) === 200), 'the first 20 connections are served'], WAIT);
    const extra = await rawConnect(kp, head).catch(() => undefined);
    if (extra) await eventually(() => [extra.closed(), 'the 21st connection is still open'], WAIT);
    assert.ok(!extra || statusOf(extra.received()) === 0, 'the 21st connection got no answer');
    for (const c of conns) c.socket.destroy();
    const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
    await eventually(async () => {
      const r = await admin.get('/version');
      return [r.status === 200, `status ${r.status}`];
    }, WAIT);
    const m = await admin.get('/metrics', { headers: { Accept: 'text/plain' } });
    const refused = /kplane_connections_closed_total\{reason="per_ip_limit"\} (\d+)/.exec(m.text);
    assert.ok(Number(refused?.[1]) >= 1, `per_ip_limit closes: ${refused?.[1]}`);
  });
});
