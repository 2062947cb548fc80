// Health endpoints name each check: /readyz?verbose lists ping, storage, shutdown and (with
// controllers in-process) informers-synced; /livez does not include readiness-only checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../../framework/eventually.ts';
import { TestClient } from '../../framework/http.ts';
import { type Kplane, startKplane } from '../../framework/kplane.ts';

describe('health checks', () => {
  let kp: Kplane;
  let anonymous: TestClient;

  before(async () => {
    kp = await startKplane();
    anonymous = new TestClient(kp.url, kp.caPem);
  });
  after(async () => {
    await kp?.[Symbol.asyncDispose]();
  });

  test('/readyz?verbose names every check and passes once the controllers have synced', async () => {
    let body = '';
    await eventually(async () => {
      const r = await anonymous.get('/readyz?verbose');
      body = r.text;
      return [r.status === 200, `${r.status}: ${r.text}`];
    }, { what: '/readyz' });
    for (const check of ['ping', 'storage', 'shutdown', 'informers-synced']) assert.match(body, new RegExp(`^\\[\\+\\]${check} ok$`, 'm'), check);
    assert.match(body, /readyz check passed/);
  });

  test('/readyz/<check> serves one check; unknown checks are 404', async () => {
    const one = await anonymous.get('/readyz/shutdown');
    assert.equal(one.status, 200);
    assert.equal(one.text, 'ok');
    assert.equal((await anonymous.get('/readyz/nope')).status, 404);
  });

  test('/livez and /healthz are liveness only: no shutdown or informer checks', async () => {
    for (const path of ['/livez?verbose', '/healthz?verbose']) {
      const r = await anonymous.get(path);
      assert.equal(r.status, 200);
      assert.match(r.text, /^\[\+\]ping ok$/m);
      assert.match(r.text, /^\[\+\]storage ok$/m);
      assert.doesNotMatch(r.text, /shutdown|informers-synced/);
    }
  });
});
