// The loopback socket (pkg/server/loopback-socket.ts), end to end against `kplane start`: the
// controllers reach the server on it, and it gives any other local process nothing the TCP
// port does not: the same authentication, the same authorization, the same answers to
// malformed HTTP, and it disappears with the process.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { type Kplane, startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { kjson, SLOW, syncTargetYAML } from './support.ts';

interface Answer {
  code: number;
  body: string;
}

function overSocket(socketPath: string, path: string, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function overPort(kp: Kplane, path: string, token?: string): Promise<Answer> {
  const res = await new TestClient(kp.url, kp.caPem).get(path, { token: token ?? null });
  return { code: res.status, body: res.text };
}

/** Server-side sockets bound to `name` (the listener and every accepted connection). */
function boundSockets(name: string): number {
  return readFileSync('/proc/net/unix', 'utf8').split('\n').filter((l) => l.trim().endsWith(` ${name}`)).length;
}

function rawExchange(socketPath: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ path: socketPath });
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (c: string) => (got += c));
    s.on('close', () => resolve(got));
    s.on('error', reject);
    s.end(bytes);
  });
}

describe('the loopback socket', { skip: process.platform !== 'linux' && 'abstract Unix sockets are Linux only' }, () => {
  let kp: Kplane;
  let name: string;
  let socketPath: string;
  let dir: string;

  before(async () => {
    kp = await startKplane();
    const line = kp.logs.find((l) => l.message === 'serving the controllers on the loopback socket');
    assert.ok(line, 'kplane names its loopback socket in its log');
    name = String(line.socket);
    socketPath = `\0${name.slice(1)}`;
    dir = mkdtempSync(join(tmpdir(), 'kplane-loopback-'));
  });
  after(async () => {
    await kp?.[Symbol.asyncDispose]();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('is an abstract socket named after the process, with a random part', () => {
    assert.match(name, new RegExp(`^@kplane-loopback-${kp.process.pid}-[0-9a-f]{16}$`));
    assert.equal(boundSockets(name) >= 1, true);
  });

  test('the controllers reach the server on it', async () => {
    const root = new Kubectl(kp.kubeconfig);
    try {
      const file = join(dir, 'st.yaml');
      writeFileSync(file, syncTargetYAML('edge', 'edge-cluster'));
      await root.ok(['create', '-f', file]);
      await eventually(async () => {
        const st = await kjson(root, ['get', 'synctarget', 'edge']);
        return [Boolean(st.status?.syncerIdentity?.serviceAccount), 'the SyncTarget controller has not written the syncer identity'];
      }, SLOW);
    } finally {
      rmSync(root.cacheDir, { recursive: true, force: true });
    }
    // The informers' watches are long-lived connections: accepted sockets beside the listener.
    assert.ok(boundSockets(name) >= 2, `connections on ${name}: ${boundSockets(name) - 1}`);
  });

  test('authenticates and authorizes every request exactly as the TLS port does', async () => {
    const cases: [string, string | undefined][] = [
      ['/readyz', undefined],
      ['/version', undefined],
      ['/clusters/root/api/v1/secrets', undefined],
      ['/clusters/root/api/v1/namespaces/default/secrets', 'not-a-token'],
      ['/clusters/root/api/v1/namespaces/default/serviceaccounts', undefined],
      ['/clusters/root/api/v1/namespaces/default/serviceaccounts', kp.adminToken],
    ];
    for (const [path, token] of cases) {
      const viaSocket = await overSocket(socketPath, path, token);
      const viaPort = await overPort(kp, path, token);
      assert.equal(viaSocket.code, viaPort.code, `${path} with ${token === undefined ? 'no token' : 'a token'}`);
    }
    // What a local process without the loopback token gets: refused, as on the port.
    assert.ok([401, 403].includes((await overSocket(socketPath, '/clusters/root/api/v1/secrets')).code));
    assert.equal((await overSocket(socketPath, '/clusters/root/api/v1/namespaces/default/serviceaccounts', kp.adminToken)).code, 200);
    const bad = await overSocket(socketPath, '/clusters/root/api/v1/namespaces/default/secrets', 'not-a-token');
    assert.equal(bad.code, 401);
    assert.equal(JSON.parse(bad.body).kind, 'Status');
  });

  test('answers malformed HTTP with 400 and keeps serving', async () => {
    const reply = await rawExchange(socketPath, 'GARBAGE\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 400 /);
    assert.equal((await overSocket(socketPath, '/readyz')).code, 200);
  });

  test('disappears with the process', async () => {
    await kp.stop();
    assert.equal(boundSockets(name), 0);
  });
});
