// Soak under hostile clients (issue 14 "done when"): one kplane, a normal tenant that keeps
// working, and hostile clients around it for a bounded time; reports the normal client's
// p50/p99 and error count, what happened to each hostile client, and the server's peak RSS.
//
//   npm run soak                              # own kplane, 3 minutes, full counts
//   npm run soak -- --duration 30             # shorter
//   npm run soak -- --url https://127.0.0.1:6443 --token T --ca-file ca.crt --pid 1234 [--cluster root]
//
// Exit code: 1 only when the server crashed (its process went away during the soak); slow
// answers and errors are reported, not judged. Traffic goes to 127.0.0.1 only, and every
// loop is bounded in count and in time (plus a watchdog that ends the run).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numberArg } from '../bench/fixture.ts';
import { startKplane, type Kplane } from '../../test/framework/kplane.ts';
import { requireLoopback, SoakClient } from './client.ts';
import { manyWatches, newTally, patcher, stuckWatcher, type Tally, trickler, WATCHED_NAMESPACE } from './hostile-clients.ts';
import { prepareNormal, runNormal } from './normal.ts';
import { formatReport, type SoakReport } from './report.ts';
import { RSSSampler } from './rss.ts';
import { summarize } from '../bench/lib.ts';

const GOOD = 'soak-good';
const EVIL = 'soak-evil';
const RBAC = 'rbac.authorization.k8s.io';

export interface SoakOptions {
  durationS: number;
  tricklers: number;
  tickMs: number;
  stuckWatchers: number;
  watches: number;
  patchRounds: number;
  copies: number;
  valueKiB: number;
  bigUpdates: number;
  bigKiB: number;
  /** Target an already running kplane instead of starting one. */
  url?: string | undefined;
  token?: string | undefined;
  caFile?: string | undefined;
  pid?: number | undefined;
  cluster: string;
  jsonOut?: string | undefined;
}

function stringArg(name: string, argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i]!.includes('=') ? argv[i]!.slice(argv[i]!.indexOf('=') + 1) : argv[i + 1];
}

export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const n = (name: string, fallback: number) => numberArg(name, fallback, argv);
  const pid = stringArg('pid', argv);
  return {
    durationS: n('duration', 180),
    tricklers: n('tricklers', 100),
    tickMs: n('tick-ms', 1000),
    stuckWatchers: n('stuck-watchers', 3),
    watches: n('watches', 1000),
    patchRounds: n('patch-rounds', 20),
    copies: n('copies', 16),
    valueKiB: n('value-kib', 256),
    bigUpdates: n('big-updates', 100),
    bigKiB: n('big-kib', 1024),
    url: stringArg('url', argv),
    token: stringArg('token', argv),
    caFile: stringArg('ca-file', argv),
    pid: pid === undefined ? undefined : Number(pid),
    cluster: stringArg('cluster', argv) ?? 'root',
    jsonOut: stringArg('json', argv),
  };
}

function log(msg: string): void {
  process.stderr.write(`  ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

interface Setup {
  url: string;
  ca: string | undefined;
  pid: number | undefined;
  goodCluster: string;
  goodToken: string;
  evilCluster: string;
  evilToken: string;
  kp?: Kplane;
  dispose(): Promise<void>;
}

async function must(p: Promise<{ status: number; text: string; error?: string }>, ok: number[], what: string): Promise<void> {
  const r = await p;
  if (!ok.includes(r.status)) throw new Error(`${what}: ${r.status} ${r.error ?? r.text.slice(0, 300)}`);
}

/** Start kplane with two tenants, each admin of its own workspace. */
async function ownServer(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-soak-'));
  const goodToken = `good-${Math.random().toString(36).slice(2)}${Date.now()}`;
  const evilToken = `evil-${Math.random().toString(36).slice(2)}${Date.now()}`;
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${goodToken},${GOOD},uid-good\n${evilToken},${EVIL},uid-evil\n`, { mode: 0o600 });
  const kp = await startKplane({ args: ['--token-auth-file', tokenFile] });
  const dispose = async () => {
    await kp[Symbol.asyncDispose]();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const admin = new SoakClient({ url: kp.url, ca: kp.caPem });
    for (const ws of [GOOD, EVIL]) {
      const body = JSON.stringify({ apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: ws } });
      await must(admin.call('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { method: 'POST', token: kp.adminToken, body }), [201], `create ${ws}`);
    }
    for (const ws of [GOOD, EVIL]) {
      let phase = '';
      for (let i = 0; i < 600 && phase !== 'Ready'; i++) {
        const r = await admin.call(`/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/${ws}`, { token: kp.adminToken });
        phase = r.status === 200 ? ((JSON.parse(r.text) as { status?: { phase?: string } }).status?.phase ?? '') : '';
        if (phase !== 'Ready') await new Promise((res) => setTimeout(res, 200));
      }
      if (phase !== 'Ready') throw new Error(`workspace ${ws} never became Ready`);
      const binding = { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: `${ws}-admin` }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'User', apiGroup: RBAC, name: ws }] };
      await must(admin.call(`/clusters/root:${ws}/apis/${RBAC}/v1/clusterrolebindings`, { method: 'POST', token: kp.adminToken, body: JSON.stringify(binding) }), [201], `bind ${ws}`);
    }
    admin.close();
  } catch (err) {
    await dispose();
    throw err;
  }
  return { url: kp.url, ca: kp.caPem, pid: kp.process.pid, goodCluster: `/clusters/root:${GOOD}`, goodToken, evilCluster: `/clusters/root:${EVIL}`, evilToken, kp, dispose };
}

/** An already running kplane: one token for everyone, one workspace. */
function givenServer(o: SoakOptions): Setup {
  requireLoopback(o.url!);
  if (!o.token) throw new Error('--url needs --token');
  const cluster = `/clusters/${o.cluster}`;
  return {
    url: o.url!,
    ca: o.caFile ? readFileSync(o.caFile, 'utf8') : undefined,
    pid: o.pid,
    goodCluster: cluster,
    goodToken: o.token,
    evilCluster: cluster,
    evilToken: o.token,
    dispose: async () => {},
  };
}

export async function runSoak(o: SoakOptions): Promise<{ report: SoakReport; crashed: boolean }> {
  const setup = o.url ? givenServer(o) : await ownServer();
  let crashed = '';
  let stopping = false;
  setup.kp?.process.once('exit', (code, signal) => {
    if (!stopping) crashed = `kplane exited during the soak (code ${code}, signal ${signal})`;
  });
  const sampler = setup.pid ? new RSSSampler(setup.pid) : undefined;
  const normalClient = new SoakClient({ url: setup.url, ca: setup.ca }, 4);
  const hostileClient = new SoakClient({ url: setup.url, ca: setup.ca }, 8);
  const abort = new AbortController();
  const watchdog = setTimeout(() => {
    log('watchdog: the soak overran its time; ending every client');
    abort.abort();
  }, (o.durationS + 120) * 1000);
  watchdog.unref();
  try {
    await prepareNormal(normalClient, { cluster: setup.goodCluster, token: setup.goodToken });
    const nsBody = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: WATCHED_NAMESPACE } });
    await must(hostileClient.call(`${setup.evilCluster}/api/v1/namespaces`, { method: 'POST', token: setup.evilToken, body: nsBody }), [201, 409], 'watched namespace');
    sampler?.start(250);
    const start = Date.now();
    const deadline = start + o.durationS * 1000;
    const u = new URL(setup.url);
    const env = { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 443), cluster: setup.evilCluster, token: setup.evilToken, deadline, signal: abort.signal };
    const anonEnv = { ...env, token: '' };
    const trickleAnon = newTally();
    const trickleToken = newTally();
    const stuck = newTally();
    const watches = newTally();
    const patches = newTally();
    const big = newTally();
    const tallies: Record<string, Tally> = {
      'trickle (anonymous)': trickleAnon,
      'trickle (token)': trickleToken,
      'stuck watchers': stuck,
      [`watches (${o.watches})`]: watches,
      'amplifying/oversized patches': patches,
      [`big updates (${o.bigKiB} KiB)`]: big,
    };
    const watchBytes = { bytes: 0 };
    log(`soak: ${o.durationS}s against ${setup.url} (pid ${setup.pid ?? 'unknown'})`);
    const hostile: Promise<unknown>[] = [];
    const maxConnections = Math.max(1, Math.ceil((o.durationS * 1000) / 2000));
    for (let i = 0; i < o.tricklers; i++) {
      const anonymous = i % 2 === 0;
      hostile.push(trickler(anonymous ? anonEnv : env, { anonymous, bodyBytes: 1024 * 1024, tickMs: o.tickMs, maxConnections }, anonymous ? trickleAnon : trickleToken));
    }
    for (let i = 0; i < o.stuckWatchers; i++) hostile.push(stuckWatcher(env, stuck));
    hostile.push(manyWatches(env, setup.ca, o.watches, watches, watchBytes));
    hostile.push(patcher(env, hostileClient, { valueKiB: o.valueKiB, copies: o.copies, rounds: o.patchRounds, bigUpdates: o.bigUpdates, bigKiB: o.bigKiB }, patches, big));
    const normal = await runNormal(normalClient, { cluster: setup.goodCluster, token: setup.goodToken, deadline, maxRequests: o.durationS * 2000, signal: abort.signal });
    // The normal client is done at the deadline; the hostile ones are told to stop now.
    const remaining = Math.max(0, deadline - Date.now());
    await new Promise((r) => setTimeout(r, remaining));
    abort.abort();
    await Promise.all(hostile);
    const live = await normalClient.call('/livez', { timeoutMs: 10_000 });
    sampler?.stop();
    if (sampler?.vanished && !setup.kp) crashed ||= `process ${setup.pid} is gone`;
    const report: SoakReport = {
      durationS: (Date.now() - start) / 1000,
      normal: { ...summarize(normal.latenciesMs, Date.now() - start), errors: normal.errors, errorSamples: normal.samples },
      hostile: tallies,
      watchBytes: watchBytes.bytes,
      rss: sampler ? { startKiB: sampler.first?.rssKiB ?? 0, endKiB: sampler.last?.rssKiB ?? 0, peakKiB: sampler.peakKiB } : undefined,
      livezAfter: live.status,
      crashed,
    };
    return { report, crashed: crashed !== '' };
  } finally {
    clearTimeout(watchdog);
    abort.abort();
    normalClient.close();
    hostileClient.close();
    stopping = true;
    await setup.dispose();
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).join('\n') + '\n');
    return 0;
  }
  const o = parseSoakArgs(argv);
  const { report, crashed } = await runSoak(o);
  process.stdout.write(formatReport(report) + '\n');
  if (o.jsonOut) writeFileSync(o.jsonOut, JSON.stringify(report, null, 2));
  return crashed ? 1 : 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
