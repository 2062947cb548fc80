// Request bounds of the filter chain: the request timeout (504 Timeout, ?timeout= honoured and
// capped, watches exempt) and the global in-flight bound (429 + Retry-After beyond
// --max-requests-inflight; system:masters and watches exempt). A request is held in flight by
// sending its headers and only part of its body: its handler waits for the rest.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../../framework/eventually.ts';
import { TestClient } from '../../framework/http.ts';
import { type Kplane, startKplane } from '../../framework/kplane.ts';

const ALICE = 'alice-limits-0123456789';
const BOB = 'bob-limits-0123456789';
const CM = '/clusters/root/api/v1/namespaces/default/configmaps';

interface Held {
  /** Resolves when the server answers (possibly while the body is still unsent). */
  response: Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: { reason?: string; code?: number } }>;
  destroy(): void;
}

/** POST a ConfigMap whose body never finishes arriving. */
function hold(kp: Kplane, token: string, path: string): Held {
  const req = request(new URL(path, kp.url), {
    method: 'POST',
    ca: kp.caPem,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': '1000', Accept: 'application/json' },
  });
  const response = new Promise<Awaited<Held['response']>>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text || '{}') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  req.write('{"apiVersion":"v1",');
  // Destroying a request that was never answered rejects `response`: that is expected.
  response.catch(() => undefined);
  return { response, destroy: () => req.destroy() };
}

describe('request limits', { timeout: 300_000 }, () => {
  let kp: Kplane;
  let admin: TestClient;
  let alice: TestClient;
  let bob: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'kplane-limits-'));

  before(async () => {
    const tokens = join(dir, 'tokens.csv');
    writeFileSync(tokens, `${ALICE},alice,uid-alice,"team"\n${BOB},bob,uid-bob,"team"\n`, { mode: 0o600 });
    kp = await startKplane({ args: ['--token-auth-file', tokens, '--request-timeout', '5s', '--max-requests-inflight', '1', '--controllers', '-'] });
    admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
    alice = admin.withToken(ALICE);
    bob = admin.withToken(BOB);
    const crb = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'team-edit' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'team' }],
    };
    assert.equal((await admin.post('/clusters/root/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', crb)).status, 201);
  });
  after(async () => {
    await kp?.[Symbol.asyncDispose]();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a request past ?timeout= gets 504 Timeout; a bad ?timeout= is 400', async () => {
    const held = hold(kp, ALICE, `${CM}?timeout=1s`);
    const r = await held.response;
    held.destroy();
    assert.equal(r.status, 504);
    assert.equal(r.json.reason, 'Timeout');
    assert.equal(r.json.code, 504);
    const bad = await alice.get(`${CM}?timeout=soon`);
    assert.equal(bad.status, 400, bad.text);
  });

  test('?timeout= longer than --request-timeout is capped; a watch outlives both', async () => {
    // The watch starts first, so by the time the capped request times out it is older than
    // the request timeout.
    const events: string[] = [];
    const watch = request(new URL(`${CM}?watch=true`, kp.url), { ca: kp.caPem, headers: { Authorization: `Bearer ${kp.adminToken}` } });
    const watchStatus = new Promise<number>((resolve, reject) => {
      watch.on('response', (res) => {
        res.on('data', (d: Buffer) => events.push(d.toString()));
        resolve(res.statusCode ?? 0);
      });
      watch.on('error', reject);
    });
    watch.end();
    assert.equal(await watchStatus, 200);
    const held = hold(kp, ALICE, `${CM}?timeout=1h`);
    const r = await held.response;
    held.destroy();
    assert.equal(r.status, 504, 'the server timeout caps the client\'s');
    assert.equal((await admin.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-timeout' } })).status, 201);
    await eventually(() => [events.join('').includes('after-timeout'), `watch saw: ${events.join('').slice(0, 200)}`], { what: 'the watch to deliver the event' });
    watch.destroy();
  });

  test('beyond --max-requests-inflight: 429 with Retry-After; masters and watches exempt', async () => {
    const held = hold(kp, ALICE, CM);
    try {
      let last = 0;
      await eventually(async () => {
        const r = await bob.get(CM);
        last = r.status;
        if (r.status === 429) {
          assert.equal(r.headers['retry-after'], '1');
          assert.equal(r.json.reason, 'TooManyRequests');
          assert.match(r.json.message, /on this server/);
        }
        return [r.status === 429, `bob got ${r.status}`];
      }, { what: 'the held request to fill the global bound' });
      assert.equal(last, 429);
      assert.equal((await admin.get(CM)).status, 200, 'system:masters is exempt');
      const watch = await new Promise<number>((resolve, reject) => {
        const w = request(new URL(`${CM}?watch=true`, kp.url), { ca: kp.caPem, headers: { Authorization: `Bearer ${BOB}` } }, (res) => {
          resolve(res.statusCode ?? 0);
          w.destroy();
        });
        w.on('error', (err) => (w.destroyed ? undefined : reject(err)));
        w.end();
      });
      assert.equal(watch, 200, 'watches are not counted');
    } finally {
      held.destroy();
    }
    await eventually(async () => {
      const r = await bob.get(CM);
      return [r.status === 200, `bob got ${r.status}`];
    }, { what: 'the slot to be released once the held request ended' });
  });
});
