// The fleet dashboard in a real browser (Debian's Chromium via puppeteer-core):
//  - operator: the admin token, a SyncTarget whose syncer runs as a real process → the page
//    lists it Ready with a ticking heartbeat age; the syncer stops → the same page, never
//    reloaded, shows it not Ready (a watch event, not a refresh); screenshots are written;
//    a Placement and a labelled namespace in its workspace → the page shows the namespace
//    placed on that SyncTarget;
//  - tenant: alice's token reaches root:ws-a only: its targets are shown, root's and ws-b's
//    never, and root is "no access" rather than an error.
// Skips with a message only when Chromium cannot start at all.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { startKplane } from '../framework/kplane.ts';
import { launchBrowser, signIn, targetRows, workspaceNotes } from './dashboard-support.ts';
import { ALICE_TOKEN, mustStatus, startSecurityEnv, waitWorkspaceReady, workspace } from './security-support.ts';
import { kubeconfigForWorkspace, kubeconfigFromManifests, parseManifests, runKplane, startSyncer, syncerArgsFromManifests } from './syncer-support.ts';

const THRESHOLD_S = 4;
const SLOW = { timeoutMs: 120_000, intervalMs: 250 };

test('dashboard: a SyncTarget turns not Ready live when its syncer stops', { timeout: 600_000 }, async (t) => {
  const launched = await launchBrowser();
  if (typeof launched === 'string') return t.skip(launched);
  await using b = launched;
  await using kp = await startKplane({ args: ['--heartbeat-threshold', `${THRESHOLD_S}s`] });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-dashboard-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const shots = mkdtempSync(join(tmpdir(), 'kplane-dashboard-shots-'));
  const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  await mustStatus(admin.do('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { method: 'POST', body: workspace('team') }), 201, 'create team');
  await waitWorkspaceReady(admin, 'root', 'team');

  // The manual path (`kplane workload sync -o`): the SyncTarget is created, and its syncer is
  // started here as a real kplane-syncer process with the generated arguments.
  const kubeconfig = kubeconfigForWorkspace(kp.kubeconfig, kp.url, 'root:team', dir);
  const out = join(dir, 'edge.yaml');
  const r = await runKplane(['workload', 'sync', 'edge', '--syncer-image', 'kplane-syncer:e2e', '--heartbeat-period', '1s', '-o', out], { KUBECONFIG: kubeconfig });
  assert.equal(r.code, 0, r.stderr);
  await mustStatus(admin.do('/clusters/root:team/apis/workload.kcp.io/v1alpha1/synctargets/edge', { method: 'PATCH', body: { spec: { cells: { region: 'eu' } } }, contentType: 'application/merge-patch+json' }), 200, 'label cells');
  const manifests = parseManifests(readFileSync(out, 'utf8'));
  const syncerKubeconfig = join(dir, 'edge.kubeconfig');
  writeFileSync(syncerKubeconfig, kubeconfigFromManifests(manifests));
  await using syncer = startSyncer(syncerArgsFromManifests(manifests, syncerKubeconfig));

  const { page } = b;
  await signIn(page, kp.url, kp.adminToken);
  const row = async () => (await targetRows(page)).find((x) => x.id === 'root:team/edge');
  await eventually(async () => {
    const x = await row();
    return [x?.ready === 'true', `row ${JSON.stringify(x)}; problems ${b.problems.join(' | ')}`];
  }, { ...SLOW, what: 'the page to list root:team/edge as Ready' });
  const up = (await row())!;
  assert.equal(up.readyText, 'Ready');
  assert.equal(up.heartbeat, 'true');
  assert.match(up.cells, /\bregion=eu\b/, 'the cells, as key=value');
  assert.match(up.age, /^\d+s ago$/, 'a heartbeat age in words');
  assert.match(await page.$eval('#streams', (e) => e.textContent ?? ''), /operator view/);
  // The workspace tree shows root and its child.
  await eventually(async () => {
    const notes = await workspaceNotes(page);
    return ['root' in notes && 'root:team' in notes, JSON.stringify(notes)];
  }, { ...SLOW, what: 'the workspace tree' });

  // What is placed where: a Placement in root:team and a namespace it selects; the
  // scheduling controllers of this kplane place it on edge (the only Ready SyncTarget), and
  // the page resolves the namespace's state label to edge through edge's key label.
  await mustStatus(admin.do('/clusters/root:team/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web', labels: { app: 'web' } } } }), 201, 'create namespace web');
  await mustStatus(admin.do('/clusters/root:team/apis/scheduling.kcp.io/v1alpha1/placements', {
    method: 'POST',
    body: {
      apiVersion: 'scheduling.kcp.io/v1alpha1', kind: 'Placement', metadata: { name: 'web' },
      spec: {
        locationSelectors: [{}], namespaceSelector: { matchLabels: { app: 'web' } },
        locationResource: { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets' },
      },
    },
  }), 201, 'create placement web');
  const tableRows = (id: string) => page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
  await eventually(async () => {
    const placed = await tableRows('placed-namespaces');
    const placements = await tableRows('placement-list');
    const ok = placed.some((r) => r.join('|') === 'root:team|web|edge') && placements.some((r) => r.join('|') === 'root:team|web|Bound|root:team/default');
    return [ok, `placed ${JSON.stringify(placed)}; placements ${JSON.stringify(placements)}; problems ${b.problems.join(' | ')}`];
  }, { ...SLOW, what: 'the page to show namespace web placed on edge by Placement web (Bound)' });
  // Headers say what each column is, for screen readers too.
  assert.deepEqual(await page.$$eval('#placed-namespaces thead th[scope="col"]', (ths) => ths.map((x) => x.textContent)), ['Workspace', 'Namespace', 'SyncTarget']);

  // Mark this document: if the page were reloaded, the mark would be gone.
  await page.evaluate(() => { (globalThis as unknown as { dashboardTestMark: number }).dashboardTestMark = 1; });
  const upShot = join(shots, 'dashboard-ready.png');
  await page.screenshot({ path: upShot, fullPage: true });
  t.diagnostic(`screenshot (Ready): ${upShot}`);

  // Open the target's Events from the keyboard: the row's button takes focus and Enter
  // activates it; focus then moves to the Events heading.
  await page.focus('#targets tr[data-target="root:team/edge"] button');
  await page.keyboard.press('Enter');
  await eventually(async () => {
    const state = await page.$eval('#events', (e) => ({ hidden: e.hasAttribute('hidden'), title: e.querySelector('h2')?.textContent ?? '', rows: e.querySelectorAll('tbody tr').length }));
    return [!state.hidden && /edge in root:team/.test(state.title) && state.rows > 0, JSON.stringify(state)];
  }, { ...SLOW, what: 'the Events section of edge' });
  assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id), 'events-title');

  assert.equal(await syncer.stop(), 0);
  await eventually(async () => {
    const x = await row();
    return [x?.ready === 'false' && x.heartbeat === 'false', `row ${JSON.stringify(x)}`];
  }, { ...SLOW, what: 'the page to show edge not Ready after the syncer stopped' });
  const down = (await row())!;
  assert.match(down.readyText, /^Not ready/, 'said in words, not only in colour');
  assert.match(down.heartbeatText, /^Unhealthy/);
  assert.equal(await page.evaluate(() => (globalThis as unknown as { dashboardTestMark?: number }).dashboardTestMark), 1, 'the same document: updated live, not reloaded');
  await eventually(async () => {
    const said = await page.$eval('#announce', (e) => e.textContent ?? '');
    return [/edge in root:team is now Not ready/.test(said), said];
  }, { ...SLOW, what: 'the aria-live announcement' });
  // The age keeps ticking from the last beat, in place.
  const before = down.age;
  await eventually(async () => {
    const x = await row();
    return [x !== undefined && x.age !== before && /ago$/.test(x.age), `age ${x?.age} (was ${before})`];
  }, { ...SLOW, what: 'the heartbeat age to tick' });
  const downShot = join(shots, 'dashboard-not-ready.png');
  await page.screenshot({ path: downShot, fullPage: true });
  t.diagnostic(`screenshot (not Ready): ${downShot}`);
  // Closing the Events from the keyboard returns focus to the row's button.
  await page.focus('#events-close');
  await page.keyboard.press('Enter');
  await eventually(async () => {
    const where = await page.evaluate(() => {
      const active = (globalThis as unknown as { document: { activeElement: { closest(s: string): { getAttribute(a: string): string | null } | null; tagName: string } | null } }).document.activeElement;
      return `${active?.tagName}@${active?.closest('tr')?.getAttribute('data-target')}`;
    });
    return [where === 'BUTTON@root:team/edge', where];
  }, { ...SLOW, what: 'focus back on the row button' });
  // Uncaught exceptions only: a console line about a refused or broken request is something
  // the page is built to recover from.
  assert.deepEqual(b.problems.filter((p) => p.startsWith('pageerror')), [], 'no uncaught page errors');
});

test('dashboard: a tenant token shows only its own workspaces', { timeout: 600_000 }, async (t) => {
  const launched = await launchBrowser();
  if (typeof launched === 'string') return t.skip(launched);
  await using b = launched;
  // alice administers root:ws-a; root, root:ws-b and root:ws-a:w (seeded) are not hers.
  await using env = await startSecurityEnv();
  const { page } = b;
  await signIn(page, env.kp.url, ALICE_TOKEN, 'root root:ws-a');
  await eventually(async () => {
    const ids = (await targetRows(page)).map((x) => x.id);
    const notes = await workspaceNotes(page);
    const settled = /no access/.test(notes.root ?? '') && /SyncTarget/.test(notes['root:ws-a'] ?? '') && /no access/.test(notes['root:ws-a:w'] ?? '');
    return [settled && ids.includes('root:ws-a/st'), `rows ${JSON.stringify(ids)}; tree ${JSON.stringify(notes)}; problems ${b.problems.join(' | ')}`];
  }, { ...SLOW, what: 'alice to see root:ws-a/st, and root and root:ws-a:w as no access' });
  const ids = (await targetRows(page)).map((x) => x.id);
  assert.deepEqual(ids, ['root:ws-a/st'], 'only her workspace\'s SyncTargets');
  const notes = await workspaceNotes(page);
  assert.ok(!Object.keys(notes).some((p) => p === 'root:ws-b'), `ws-b is not even named: ${JSON.stringify(notes)}`);
  assert.match(await page.$eval('#streams', (e) => e.textContent ?? ''), /workspaces this token may reach/);
  // Placements: the same walk; root's are not hers, and say so in words.
  await eventually(async () => {
    const said = await page.$eval('#placements-body', (e) => e.textContent ?? '');
    return [/root: no access/.test(said) && !/root:ws-b/.test(said), said];
  }, { ...SLOW, what: 'the Placements section to say root is no access' });
  // "no access" is a state, not an error dump: no Status JSON or stack on the page.
  const text = await page.$eval('#fleet', (e) => e.textContent ?? '');
  assert.doesNotMatch(text, /"kind":\s*"Status"|forbidden:|Error:/);
  const shot = join(mkdtempSync(join(tmpdir(), 'kplane-dashboard-shots-')), 'dashboard-tenant.png');
  await page.screenshot({ path: shot, fullPage: true });
  t.diagnostic(`screenshot (tenant): ${shot}`);
});
