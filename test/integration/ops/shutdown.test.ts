// Graceful shutdown: SIGTERM fails /readyz first (while still serving during --shutdown-delay),
// ends open watches with a clean end of stream, exits 0 within 5 s, and a restart on the same
// root dir serves every object written before.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { eventually } from '../../framework/eventually.ts';
import { TestClient } from '../../framework/http.ts';
import { startKplane } from '../../framework/kplane.ts';
import { adminClient, openWatch, ST_PATH, syncTarget } from './support.ts';

test('SIGTERM: watches end cleanly, exit 0 within 5 s, data intact after restart', async () => {
  const kp = await startKplane({ keepRootDir: true });
  try {
    const admin = adminClient(kp);
    const names = Array.from({ length: 20 }, (_, i) => `st-${i}`);
    for (const n of names) assert.equal((await admin.post(ST_PATH, syncTarget(n))).status, 201);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep-me' }, data: { answer: '42' } };
    assert.equal((await admin.post('/clusters/root/api/v1/namespaces/default/configmaps', cm)).status, 201);
    const watch = openWatch(kp, `${ST_PATH}?watch=1`);
    await watch.started;
    await eventually(() => [watch.events.length >= names.length, `watch replayed ${watch.events.length}`]);

    const t0 = performance.now();
    const code = await kp.stop('SIGTERM');
    const elapsedMs = performance.now() - t0;
    assert.equal(code, 0, 'exit code');
    assert.ok(elapsedMs < 5000, `exited after ${Math.round(elapsedMs)} ms`);
    assert.equal(await watch.ended, 'eof', 'the watch ended with a clean end of stream, not a reset');
    assert.ok(kp.logs.some((l) => l.message === 'kplane stopped'), 'shutdown ran to the end');

    await using again = await startKplane({ rootDir: kp.rootDir });
    const list = await adminClient(again).get(ST_PATH);
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort(), [...names].sort());
    const back = await adminClient(again).get('/clusters/root/api/v1/namespaces/default/configmaps/keep-me');
    assert.equal(back.status, 200);
    assert.deepEqual(back.json.data, { answer: '42' });
  } finally {
    await kp.stop('SIGKILL');
    rmSync(kp.rootDir, { recursive: true, force: true });
  }
});

test('SIGTERM with --shutdown-delay: /readyz fails at once while requests are still served, then exit 0', async () => {
  await using kp = await startKplane({ args: ['--shutdown-delay', '4s'] });
  const anonymous = new TestClient(kp.url, kp.caPem);
  await eventually(async () => [(await anonymous.get('/readyz')).status === 200, 'ready'], { what: 'ready before SIGTERM' });
  const exited = new Promise<number | null>((r) => kp.process.once('exit', (c) => r(c)));
  kp.process.kill('SIGTERM');
  await eventually(
    async () => {
      const r = await anonymous.get('/readyz?verbose');
      return [r.status === 500 && /^\[-\]shutdown failed: process is shutting down \(SIGTERM\)$/m.test(r.text), `${r.status}: ${r.text}`];
    },
    { what: '/readyz to fail with the shutdown check' },
  );
  assert.equal((await anonymous.get('/livez')).status, 200, 'liveness is unaffected (nothing should restart us)');
  assert.equal((await adminClient(kp).get(ST_PATH)).status, 200, 'requests are still served during the delay');
  assert.equal(await exited, 0);
});
