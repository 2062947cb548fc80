// The compiled build that `npm start` and the `kplane` binaries run (hack/build.mjs → dist/):
// it starts, serves the API to the real kubectl, reconciles a SyncTarget with its in-process
// controllers and serves the dashboard's assets (copied next to the compiled modules); the
// bin launcher picks it while it is fresh.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { REPO_ROOT, startKplane } from '../framework/kplane.ts';
import { syncTargetYAML } from './support.ts';

test('the compiled build (dist/) runs as npm start does', { timeout: 300_000 }, async (t) => {
  execFileSync(process.execPath, [join(REPO_ROOT, 'hack', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  await using kp = await startKplane({ entry: 'dist' });
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
    const r = spawnSync('sh', ['-x', join(REPO_ROOT, 'hack', 'bin', 'launch.sh'), 'kplane', '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: kplane/);
    assert.match(r.stderr, /exec \S+ \S+\/dist\/cmd\/kplane\/main\.js --help/);
  });
});
