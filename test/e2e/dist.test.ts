// The compiled build that `npm start` and the `kplane` binaries run (hack/build.mjs → dist/),
// started through the bin launcher as `npm start` does: it starts, serves the API to the real
// kubectl, reconciles a SyncTarget with its in-process controllers and serves the dashboard's
// assets (copied next to the compiled modules); the launcher picks it while it is fresh, and
// preloads jemalloc when the system has it (KPLANE_MALLOC=system opts out).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { LAUNCHER, REPO_ROOT, startKplane, systemJemalloc } from '../framework/kplane.ts';
import { syncTargetYAML } from './support.ts';

test('the compiled build (dist/) runs as npm start does', { timeout: 300_000 }, async (t) => {
  execFileSync(process.execPath, [join(REPO_ROOT, 'hack', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  await using kp = await startKplane({ entry: 'launcher' });
  const kubectl = new Kubectl(kp.kubeconfig);

  await t.test('kubectl creates a SyncTarget and the controllers reconcile it', async () => {
    const file = join(kp.rootDir, 'st.yaml');
    writeFileSync(file, syncTargetYAML('compiled', 'phys-1'));
    await kubectl.ok(['create', '-f', file]);
    await eventually(async () => {
      const st = JSON.parse(await kubectl.ok(['get', 'synctarget', 'compiled', '-o', 'json'])) as { status?: { syncerIdentity?: { serviceAccount?: string }; conditions?: { type: string; status: string }[] } };
      const valid = st.status?.conditions?.find((c) => c.type === 'Valid');
      return [valid?.status === 'True' && !!st.status?.syncerIdentity?.serviceAccount, JSON.stringify(st.status)];
    }, { what: 'Valid=True and a syncer identity' });
  });

  await t.test('the dashboard assets are served from dist/', async () => {
    const http = new TestClient(kp.url, kp.caPem);
    const page = await http.do('/dashboard/', { token: null, headers: { Accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.text, /<html/i);
  });

  await t.test('the bin launcher runs dist/ while it is at least as new as the sources', () => {
    const r = spawnSync('sh', ['-x', LAUNCHER, 'kplane', '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: kplane/);
    assert.match(r.stderr, /exec \S+ \S+\/dist\/cmd\/kplane\/main\.js --help/);
  });

  await t.test('the server reports the allocator it runs on, and it is the one mapped into it', () => {
    const ready = kp.logs.find((l) => l.message === 'kplane is ready');
    const mapped = readFileSync(`/proc/${kp.process.pid}/maps`, 'utf8').includes('libjemalloc') ? 'jemalloc' : 'system';
    assert.equal(ready?.allocator, mapped);
  });

  await t.test('the launcher preloads jemalloc when the system has it', (st) => {
    if (!systemJemalloc()) return st.skip('libjemalloc2 is not installed (apt-get install libjemalloc2; .ci/run does)');
    const ready = kp.logs.find((l) => l.message === 'kplane is ready');
    assert.equal(ready?.allocator, 'jemalloc');
    // Its background thread is what gives pages back while the server is idle.
    const environ = readFileSync(`/proc/${kp.process.pid}/environ`, 'utf8').split('\0');
    assert.ok(environ.includes('MALLOC_CONF=background_thread:true'), environ.filter((e) => e.startsWith('MALLOC_CONF') || e.startsWith('LD_PRELOAD')).join(' '));
  });
});

test('the launcher: KPLANE_MALLOC=system runs on the system allocator, anything else is refused', async (t) => {
  await t.test('system', async () => {
    await using kp = await startKplane({ entry: 'launcher', env: { KPLANE_MALLOC: 'system', LD_PRELOAD: '' }, args: ['--controllers', '-'] });
    const ready = kp.logs.find((l) => l.message === 'kplane is ready');
    assert.equal(ready?.allocator, 'system');
  });
  await t.test('an unknown value', () => {
    const r = spawnSync('sh', [LAUNCHER, 'kplane', '--help'], { encoding: 'utf8', env: { ...process.env, KPLANE_MALLOC: 'tcmalloc' } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /KPLANE_MALLOC must be jemalloc or system, not "tcmalloc"/);
  });
});
