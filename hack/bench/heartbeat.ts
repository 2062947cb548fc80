// Heartbeat ingest benchmark: N kplane-syncer heartbeat loops (the real HeartbeatLoop, one
// process, one keep-alive agent of 64 sockets) against a started kplane, side by side with a
// bare node:https server (separate process, same TLS certificate) answering the same PATCH
// requests, under the same offered load. Periods are scaled down so that N loops offer a
// load worth measuring (N / period beats per second).
//   npx node hack/bench/heartbeat.ts [--quick] [--storage sqlite|both] [--node-loops] [--server-node-options "--cpu-prof ..."] [--kplane-args "FLAGS"]
// With wrk on PATH (and neither --storage both nor --node-loops) it measures the issue-15 row
// instead: wrk, 1 thread, 32 connections, status merge-patches rotating over 200 SyncTargets
// (heartbeat-wrk.ts): the default kplane (and its syncers beating by Lease), kplane
// --controllers - and the bare server, in interleaved rounds of the same run (median reported).
// `--storage both` (or `etcd`) measures, one after another so that only one server is busy:
// kplane on SQLite, the bare server, kplane `--storage etcd` on a throwaway one-member etcd,
// and raw etcd3 put loops (same N and period) on that etcd; one table compares them.
// Prints beats/s achieved, p50/p99 latency, errors, the largest gap between two successful
// beats of one target, and — if a SyncTarget reconciler runs — HeartbeatHealthy=False
// conditions seen at the end (false staleness; must be 0).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ClusterClient, type SyncTarget } from '../../pkg/client/index.ts';
import { silentLogger } from '../../pkg/log/logger.ts';
import { realClock } from '../../pkg/clock/clock.ts';
import { HeartbeatLoop } from '../../pkg/syncer/heartbeat.ts';
import { flagListArg, processCpuMs, serverNodeArgs, startKplane, storageRevision, type Kplane } from './fixture.ts';
import { findWrk, median, medianResult, runWrk, WRK_CONNECTIONS, WRK_TARGETS, type WrkLease, writeLeaseScript, writeScript, type WrkResult } from './heartbeat-wrk.ts';
import { HeartbeatLease } from '../../pkg/syncer/lease.ts';
import { SYNCER_IDENTITY_NAMESPACE } from '../../pkg/syncer/manifests/identity.ts';
import { machineLine } from './report.ts';
import { RawEtcdPuts, cleanupOnInterrupt, parseStorageArg, startBenchEtcd } from './etcd.ts';
import { formatMs, formatRate, formatRatio, formatTable, parseBenchArgs, summarize } from './lib.ts';
import { formatTime } from '../../apis/meta/v1/time.ts';

/** Failed beats by kind and message, printed after the table. */
const errorKinds = new Map<string, number>();

// --- bare server mode (child process) -------------------------------------------------
if (process.argv[2] === '--serve-bare') {
  const [, , , keyFile, certFile] = process.argv;
  // A SyncTarget-sized reply, as kplane returns the patched object.
  const reply = (name: string) =>
    JSON.stringify({
      apiVersion: 'workload.kcp.io/v1alpha1',
      kind: 'SyncTarget',
      metadata: { name, uid: 'bench', resourceVersion: '1', annotations: { 'kcp.io/cluster': 'root' } },
      spec: { cluster: name, unschedulable: false },
      status: { lastSyncerHeartbeatTime: formatTime(new Date()) },
    });
  const server = createServer({ key: readFileSync(keyFile!), cert: readFileSync(certFile!) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      const name = /synctargets\/([^/]+)/.exec(req.url ?? '')?.[1] ?? 'x';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(reply(name));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
  // Die with the benchmark: our stdin is its pipe.
  process.stdin.on('end', () => process.exit(0)).resume();
} else {
  await main();
}

interface Scenario {
  n: number;
  periodMs: number;
  durationMs: number;
  /** Unmeasured beating before the window; defaults to min(period, 2s). */
  warmupMs?: number;
}

interface Result {
  ok: number;
  errors: number;
  stats: ReturnType<typeof summarize>;
  maxGapMs: number;
}

async function main(): Promise<void> {
  const { quick } = parseBenchArgs();
  const storage = parseStorageArg();
  const wrk = findWrk();
  if (storage === 'both') await sideBySide(quick);
  else if (wrk && !process.argv.includes('--node-loops')) await wrkMode(wrk, quick);
  else {
    if (!wrk) process.stdout.write('wrk is not installed (apt-get install -y wrk): measuring with the node HeartbeatLoop load generator instead.\n');
    await sqliteOnly(quick);
  }
}

/**
 * The heartbeat row: wrk, 1 thread, 32 connections, status merge-patches over 200
 * SyncTargets, against the default `kplane start`, a second default process whose syncers beat
 * by Lease, `kplane start --controllers -` and the bare node:https server. All four servers are
 * started first; then each round measures every row once, one after the other, and each figure printed
 * is its median over the rounds (heartbeat-wrk.ts median). Interleaving puts a slow stretch of
 * a shared machine into one round of every row rather than into all of one row's window, and
 * the goal's ratio is taken per round (kplane's rate over bare's in the same round), then its
 * median.
 */
async function wrkMode(wrk: string, quick: boolean): Promise<void> {
  const rounds = quick ? 1 : 3;
  const durationS = quick ? 5 : 8;
  const names = Array.from({ length: WRK_TARGETS }, (_, i) => `bench-${i}`);
  process.stderr.write(
    `wrk: ${WRK_CONNECTIONS} connections, 1 thread; ${rounds} round(s), each measuring every row for ${durationS} s (after 2 s unmeasured in the first round, 1 s later): default kplane (status patches), default kplane (Leases), kplane --controllers -, bare\n`,
  );
  type Measured = { r: WrkResult; cpuPerRequest: number; writesPerS: number };
  /** One kplane (flags), its targets (and Leases) created and the controllers idle. */
  const prepare = async (args: string[], withLeases: boolean) => {
    const kp = await startManagedKplane(60, args);
    const client = ClusterClient.fromFile(kp.kubeconfig, { component: 'bench-heartbeat' });
    try {
      await ensureSyncTargets(client, 0, WRK_TARGETS);
      // The same targets' syncers beating by Lease: the Leases created first, as each syncer's
      // first renewal does. The controllers then reconcile the new targets (identity objects,
      // status): measuring during that would measure their start-up, not ingest.
      const leases = withLeases ? await ensureHeartbeatLeases(client, WRK_TARGETS) : undefined;
      await waitNoWrites(client, 3000);
      return {
        kp,
        client,
        status: writeScript(kp.rootDir, kp.adminToken, 'root', names),
        lease: leases ? writeLeaseScript(kp.rootDir, kp.adminToken, 'root', leases) : undefined,
      };
    } catch (err) {
      client.close();
      await kp.dispose();
      throw err;
    }
  };
  const full = await prepare([], false);
  let byLease: Awaited<ReturnType<typeof prepare>> | undefined;
  let apiOnly: Awaited<ReturnType<typeof prepare>> | undefined;
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    // The Lease row has its own default process: its every request is a write (~12,000 a
    // round), and what they leave behind (history rows, WAL, old-generation garbage, the
    // controllers' backlog) must not be paid for in the status patches' window that follows.
    byLease = await prepare([], true);
    apiOnly = await prepare(['--controllers', '-'], false);
    bare = await startBare(apiOnly.kp.rootDir);
    const bareUrl = `https://127.0.0.1:${bare.port}`;
    /** wrk with `script` after an unmeasured warm-up, and the server's CPU per request and writes per second meanwhile. */
    const measure = async (k: Awaited<ReturnType<typeof prepare>>, script: string, warmS: number): Promise<Measured> => {
      await runWrk(wrk, k.kp.url, script, warmS);
      const cpu0 = processCpuMs(k.kp.process.pid!);
      const rev0 = await storageRevision(k.client);
      const r = await runWrk(wrk, k.kp.url, script, durationS);
      const cpuPerRequest = (processCpuMs(k.kp.process.pid!) - cpu0) / Math.max(1, r.requests);
      // The storage revision's advance: most status patches are no-ops.
      const writesPerS = ((await storageRevision(k.client)) - rev0) / r.durationS;
      return { r, cpuPerRequest, writesPerS };
    };
    const rows = { full: [] as Measured[], lease: [] as Measured[], apiOnly: [] as Measured[], bare: [] as WrkResult[] };
    for (let i = 0; i < rounds; i++) {
      const warmS = i === 0 ? 2 : 1;
      rows.full.push(await measure(full, full.status, warmS));
      rows.lease.push(await measure(byLease, byLease.lease!, warmS));
      rows.apiOnly.push(await measure(apiOnly, apiOnly.status, warmS));
      await runWrk(wrk, bareUrl, apiOnly.status, warmS);
      rows.bare.push(await runWrk(wrk, bareUrl, apiOnly.status, durationS));
      process.stderr.write(
        `round ${i + 1}/${rounds}: default ${formatRate(rows.full[i]!.r.perSecond)}/s, by Lease ${formatRate(rows.lease[i]!.r.perSecond)}/s, API server alone ${formatRate(rows.apiOnly[i]!.r.perSecond)}/s, bare ${formatRate(rows.bare[i]!.perSecond)}/s\n`,
      );
    }
    const summary = (ms: Measured[]): Measured => ({
      r: medianResult(ms.map((m) => m.r)),
      cpuPerRequest: median(ms.map((m) => m.cpuPerRequest)),
      writesPerS: median(ms.map((m) => m.writesPerS)),
    });
    const k = summary(rows.full);
    const lease = summary(rows.lease);
    const api = summary(rows.apiOnly);
    const b = medianResult(rows.bare);
    const ratioOf = (ms: Measured[]) => median(ms.map((m, i) => m.r.perSecond / rows.bare[i]!.perSecond));
    const ratio = ratioOf(rows.full);
    const row = (name: string, r: WrkResult, m?: Measured) => [
      name, formatRate(r.perSecond), formatMs(r.p50Ms), formatMs(r.p99Ms), r.errors,
      m ? m.cpuPerRequest.toFixed(3) : '-', m ? formatRate(m.writesPerS) : '-', formatRatio(r.perSecond, b.perSecond),
    ];
    const perRound = (xs: number[]) => xs.map((x) => formatRate(x)).join(' / ');
    process.stdout.write(
      formatTable(['wrk -t1 -c32, 200 SyncTargets', 'patches/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU ms/request', 'writes/s', 'vs bare'], [
        row('kplane start (SQLite, controllers in-process)', k.r, k),
        row('kplane start, the same 200 syncers beating by Lease', lease.r, lease),
        row('kplane start --controllers - (API server alone)', api.r, api),
        row('bare node:https, same certificate and requests', b),
      ]) + '\n',
    );
    process.stdout.write(
      `each figure: the median of ${rounds} interleaved round(s) of ${durationS} s; patches/s per round: default ${perRound(rows.full.map((m) => m.r.perSecond))}, by Lease ${perRound(rows.lease.map((m) => m.r.perSecond))}, alone ${perRound(rows.apiOnly.map((m) => m.r.perSecond))}, bare ${perRound(rows.bare.map((r) => r.perSecond))}\n` +
        `§11 heartbeat ingest (default process): ≥ 0.25 of bare (${ratio.toFixed(3)}, the median of the rounds' ratios: ${ratio >= 0.25 ? 'met' : 'not met'}), p99 ≤ 20 ms (${formatMs(k.r.p99Ms)} ms: ${k.r.p99Ms <= 20 ? 'met' : 'not met'}), no errors (${k.r.errors})\n` +
        `beating by Lease instead (kplane-syncer --heartbeat-lease): ${ratioOf(rows.lease).toFixed(3)} of bare, ${formatRatio(lease.r.perSecond, k.r.perSecond)} the status patches' rate, p99 ${formatMs(lease.r.p99Ms)} ms, ${lease.r.errors} errors\n` +
        `${machineLine()}\n`,
    );
  } finally {
    await bare?.stop();
    for (const k of [apiOnly, byLease, full]) {
      if (!k) continue;
      k.client.close();
      await k.kp.dispose();
    }
  }
}

async function sqliteOnly(quick: boolean): Promise<void> {
  const scenarios: Scenario[] = quick
    ? [
        { n: 100, periodMs: 100, durationMs: 6000 },
        { n: 1000, periodMs: 1000, durationMs: 8000 },
      ]
    : [
        { n: 1000, periodMs: 250, durationMs: 15_000 },
        { n: 10_000, periodMs: 2500, durationMs: 20_000 },
      ];
  const thresholdS = quick ? 5 : 10;
  const kp = await startManagedKplane(thresholdS, []);
  const bare = await startBare(kp.rootDir);
  try {
    const kplane = ClusterClient.fromFile(kp.kubeconfig, { component: 'bench-heartbeat' });
    const bareClient = bareClientFor(kp, bare.port);
    const rows: (string | number)[][] = [];
    let created = 0;
    for (const sc of scenarios) {
      process.stderr.write(`N=${sc.n}: creating SyncTargets\n`);
      created = await ensureSyncTargets(kplane, created, sc.n);
      process.stderr.write(`N=${sc.n}: heartbeating kplane, then the bare server\n`);
      const { result: k, targets, falseStale } = await heartbeatKplane(kplane, sc, thresholdS);
      const b = await runLoops(bareClient, targets, sc);
      const offered = (sc.n * 1000) / sc.periodMs;
      rows.push([
        sc.n,
        `${sc.periodMs}ms`,
        formatRate(offered),
        formatRate(k.stats.perSecond),
        formatMs(k.stats.p50Ms),
        formatMs(k.stats.p99Ms),
        k.errors,
        k.maxGapMs > 0 ? formatMs(k.maxGapMs) : '-',
        falseStale,
        formatRate(b.stats.perSecond),
        formatMs(b.stats.p99Ms),
        formatRatio(k.stats.perSecond, b.stats.perSecond),
      ]);
      process.stderr.write(`done: N=${sc.n}\n`);
    }
    kplane.close();
    bareClient.close();
    process.stdout.write(
      formatTable(
        ['N', 'period', 'offered/s', 'kplane beats/s', 'p50 ms', 'p99 ms', 'errors', 'max gap ms', 'HeartbeatHealthy=False', 'bare beats/s', 'bare p99 ms', 'ratio'],
        rows,
      ) + '\n',
    );
    process.stdout.write(
      [
        'HeartbeatHealthy=False: SyncTargets False at the end of the window although their stored heartbeat is fresher than threshold-1s (false verdicts; must be 0; "-": no reconciler).',
        'max gap: the longest time between two successful beats of one target ("-": no target beat twice in the window).',
        'When the bare server also stays below the offered rate, this process (the load generator) is the bottleneck: read the ratio, not absolute rates.',
      ].join('\n') + '\n',
    );
    for (const [why, n] of errorKinds) process.stdout.write(`errors: ${n} × ${why}\n`);
  } finally {
    await bare.stop();
    await kp.dispose();
  }
}

/** One target's figures in the side-by-side table. */
interface Measured {
  target: string;
  result: Result;
  falseStale: number | string;
}

/**
 * `--storage both`: the same scenarios against kplane on SQLite (plus the bare server), then
 * kplane on a throwaway etcd, then raw etcd3 puts to that etcd. One process at a time, so
 * an idle kplane's controllers never steal CPU from the measured one.
 */
async function sideBySide(quick: boolean): Promise<void> {
  // Smaller than the SQLite-only run: three targets share the time budget.
  const scenarios: Scenario[] = quick
    ? [{ n: 100, periodMs: 100, durationMs: 5000 }]
    : [
        { n: 1000, periodMs: 250, durationMs: 10_000 },
        { n: 2000, periodMs: 500, durationMs: 10_000 },
      ];
  // As in the SQLite-only run: beats lag by seconds at saturation, and a shorter threshold
  // would turn that lag into real (not false) staleness and its transition writes.
  const thresholdS = quick ? 5 : 10;
  const measured: Measured[][] = scenarios.map(() => []);

  // 1. kplane on SQLite, and the bare node:https server with its certificate.
  const kp = await startManagedKplane(thresholdS, []);
  const bare = await startBare(kp.rootDir);
  try {
    const kplane = ClusterClient.fromFile(kp.kubeconfig, { component: 'bench-heartbeat' });
    const bareClient = bareClientFor(kp, bare.port);
    let created = 0;
    for (const [i, sc] of scenarios.entries()) {
      process.stderr.write(`N=${sc.n}: kplane on SQLite, then the bare server\n`);
      created = await ensureSyncTargets(kplane, created, sc.n);
      const k = await heartbeatKplane(kplane, sc, thresholdS);
      measured[i]!.push({ target: 'kplane, SQLite', result: k.result, falseStale: k.falseStale });
      measured[i]!.push({ target: 'bare node:https', result: await runLoops(bareClient, k.targets, sc), falseStale: '-' });
    }
    kplane.close();
    bareClient.close();
  } finally {
    await bare.stop();
    await kp.dispose();
  }

  // 2. kplane on etcd, then 3. raw puts to the same etcd.
  const etcd = await startBenchEtcd();
  try {
    const kpe = await startManagedKplane(thresholdS, ['--storage', 'etcd', '--etcd-servers', etcd.endpoints.join(','), '--etcd-prefix', '/bench-heartbeat']);
    try {
      const kplane = ClusterClient.fromFile(kpe.kubeconfig, { component: 'bench-heartbeat' });
      let created = 0;
      for (const [i, sc] of scenarios.entries()) {
        process.stderr.write(`N=${sc.n}: kplane on etcd\n`);
        created = await ensureSyncTargets(kplane, created, sc.n);
        const k = await heartbeatKplane(kplane, sc, thresholdS);
        measured[i]!.push({ target: 'kplane, etcd', result: k.result, falseStale: k.falseStale });
      }
      kplane.close();
    } finally {
      await kpe.dispose();
    }
    const raw = new RawEtcdPuts(etcd.endpoints);
    try {
      for (const [i, sc] of scenarios.entries()) {
        process.stderr.write(`N=${sc.n}: raw etcd puts\n`);
        measured[i]!.push({ target: 'raw etcd put', result: await runRawPutLoops(raw, sc), falseStale: '-' });
      }
    } finally {
      raw.close();
    }
  } finally {
    await etcd.stop();
  }

  const rows = scenarios.flatMap((sc, i) => {
    const byTarget = new Map(measured[i]!.map((m) => [m.target, m.result.stats.perSecond]));
    const bareRate = byTarget.get('bare node:https') ?? 0;
    const rawRate = byTarget.get('raw etcd put') ?? 0;
    return measured[i]!.map((m) => [
      sc.n,
      `${sc.periodMs}ms`,
      formatRate((sc.n * 1000) / sc.periodMs),
      m.target,
      formatRate(m.result.stats.perSecond),
      formatMs(m.result.stats.p50Ms),
      formatMs(m.result.stats.p99Ms),
      m.result.errors,
      m.result.maxGapMs > 0 ? formatMs(m.result.maxGapMs) : '-',
      m.falseStale,
      formatRatio(m.result.stats.perSecond, bareRate),
      m.target === 'kplane, etcd' ? formatRatio(m.result.stats.perSecond, rawRate) : '-',
    ]);
  });
  process.stdout.write(
    formatTable(['N', 'period', 'offered/s', 'target', 'beats/s', 'p50 ms', 'p99 ms', 'errors', 'max gap ms', 'HeartbeatHealthy=False', 'vs bare', 'vs raw put'], rows) +
      '\n',
  );
  process.stdout.write(
    [
      'kplane rows: the real HeartbeatLoop PATCHing SyncTarget status through `kplane start` (SQLite, or --storage etcd on a one-member local etcd).',
      'bare node:https: the same PATCHes answered without storage. raw etcd put: the same N loops and period, each beat one etcd3 put of a',
      'SyncTarget-sized value (no HTTP, no TLS, no txn): the ceiling the etcd backend sits under.',
      'HeartbeatHealthy=False: false staleness verdicts at the end of the window (must be 0). Load generator and servers share the machine.',
    ].join('\n') + '\n',
  );
  for (const [why, n] of errorKinds) process.stdout.write(`errors: ${n} × ${why}\n`);
}

interface ManagedKplane extends Kplane {
  /** Stop the process and remove its directory (idempotent); also runs on SIGINT/SIGTERM. */
  dispose(): Promise<void>;
}

async function startManagedKplane(thresholdS: number, extraArgs: string[]): Promise<ManagedKplane> {
  // --kplane-args "…": more flags for every kplane this benchmark starts (pairing two settings).
  const kp = await startKplane({ args: ['--heartbeat-threshold', `${thresholdS}s`, ...extraArgs, ...flagListArg('kplane-args')], nodeArgs: serverNodeArgs() });
  let disposing: Promise<void> | undefined;
  const dispose = () => (disposing ??= (async () => await kp[Symbol.asyncDispose]())());
  const forget = cleanupOnInterrupt(dispose);
  // Extended in place, not copied: `logs` is a getter that reads the log file when asked.
  return Object.assign(kp, {
    dispose: async () => {
      forget();
      await dispose();
    },
  });
}

function bareClientFor(kp: Kplane, port: number): ClusterClient {
  const bareConfig = join(kp.rootDir, 'bare.kubeconfig');
  writeFileSync(bareConfig, readFileSync(kp.kubeconfig, 'utf8').replace(/server: https:\/\/[^/\s]+/g, `server: https://127.0.0.1:${port}`));
  return ClusterClient.fromFile(bareConfig, { component: 'bench-heartbeat' });
}

/** Beat the first sc.n bench SyncTargets of kplane, counting false staleness before the loops stop. */
async function heartbeatKplane(kplane: ClusterClient, sc: Scenario, thresholdS: number): Promise<{ result: Result; targets: SyncTarget[]; falseStale: number | string }> {
  const targets = (await kplane.cluster('root').syncTargets().listAll()).items.filter((s) => s.metadata.name!.startsWith('bench-')).slice(0, sc.n);
  let falseStale: number | string = '-';
  // Counted while the loops still beat: a False then is a false staleness verdict.
  // Warm up past the threshold: new SyncTargets start HeartbeatHealthy=False (no beat yet),
  // legitimately; only a False that survives a threshold of steady beats is a false verdict.
  const result = await runLoops(kplane, targets, { ...sc, warmupMs: thresholdS * 1000 + 1000 }, async () => {
    falseStale = await countUnhealthy(kplane, targets, thresholdS * 1000);
  });
  return { result, targets, falseStale };
}

/** Resolve once the storage revision has not moved for quietMs (the controllers are idle). */
async function waitNoWrites(client: ClusterClient, quietMs: number): Promise<void> {
  let last = await storageRevision(client);
  let since = performance.now();
  const deadline = since + 600_000;
  while (performance.now() - since < quietMs) {
    if (performance.now() > deadline) throw new Error('the controllers did not go idle within 10 minutes');
    await realClock.sleep(250);
    const now = await storageRevision(client);
    if (now !== last) {
      last = now;
      since = performance.now();
    }
  }
}

async function startBare(rootDir: string): Promise<{ child: ChildProcess; port: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [import.meta.filename, '--serve-bare', join(rootDir, 'apiserver.key'), join(rootDir, 'apiserver.crt')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(Number(l)));
    child.once('exit', (c) => reject(new Error(`bare server exited ${c}`)));
  });
  const exited = new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
  const stop = async () => {
    forget();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const forget = cleanupOnInterrupt(stop);
  return { child, port, stop };
}

/** The heartbeat Leases of bench-0 … bench-(n-1), created by kplane-syncer's own first renewal. */
async function ensureHeartbeatLeases(c: ClusterClient, n: number): Promise<WrkLease[]> {
  const st = c.cluster('root').syncTargets();
  const leases: WrkLease[] = [];
  for (let i = 0; i < n; i++) {
    const target = await st.get(`bench-${i}`);
    const renewer = new HeartbeatLease({ leases: c.cluster('root').leases(SYNCER_IDENTITY_NAMESPACE), syncTargetName: `bench-${i}`, syncTargetUid: target.metadata.uid ?? '', periodMs: 10_000, holder: `bench-${i}` });
    const lease = await renewer.renew(new Date());
    leases.push({ namespace: renewer.namespace, name: renewer.name, uid: lease.metadata.uid ?? '' });
  }
  return leases;
}

async function ensureSyncTargets(c: ClusterClient, have: number, want: number): Promise<number> {
  const st = c.cluster('root').syncTargets();
  let next = have;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < want) {
        const i = next++;
        await st.create({ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: `bench-${i}` }, spec: { cluster: `phys-${i}`, unschedulable: false } });
      }
    }),
  );
  return Math.max(have, want);
}

async function runLoops(c: ClusterClient, targets: SyncTarget[], sc: Scenario, beforeStop?: () => Promise<void>): Promise<Result> {
  const syncTargets = c.cluster('root').syncTargets();
  const latencies: number[] = [];
  let errors = 0;
  let maxGapMs = 0;
  const stop = new AbortController();
  let measuring = false;
  const warmupMs = sc.warmupMs ?? Math.min(sc.periodMs, 2000);
  const loops = targets.map((st, i) => {
    let lastOk = 0;
    const loop = new HeartbeatLoop(
      {
        syncTargets,
        name: st.metadata.name!,
        uid: st.metadata.uid!,
        periodMs: sc.periodMs,
        clock: realClock,
        logger: silentLogger(),
        onBeat: (o) => {
          if (!measuring) return;
          if (o.ok) {
            const now = performance.now();
            if (lastOk > 0) maxGapMs = Math.max(maxGapMs, now - lastOk);
            lastOk = now;
            latencies.push(o.latencyMs);
          } else {
            errors++;
            const why = `${o.kind}: ${o.error.message.slice(0, 80)}`;
            errorKinds.set(why, (errorKinds.get(why) ?? 0) + 1);
          }
        },
      },
      st,
    );
    // Spread the first beats over one period, as independent syncers would be.
    return realClock.sleep((sc.periodMs * i) / targets.length, stop.signal).then(() => loop.run(stop.signal));
  });
  await realClock.sleep(warmupMs);
  measuring = true;
  const t0 = performance.now();
  await realClock.sleep(sc.durationMs);
  measuring = false;
  const elapsed = performance.now() - t0;
  await beforeStop?.();
  stop.abort();
  await Promise.all(loops);
  return { ok: latencies.length, errors, stats: summarize(latencies, elapsed), maxGapMs };
}

/**
 * The etcd ceiling: sc.n loops, each putting a SyncTarget-sized value to its own key every
 * period (next beat after period - latency, as HeartbeatLoop does), first beats spread over
 * one period, measured after the same warm-up as the bare server.
 */
async function runRawPutLoops(raw: RawEtcdPuts, sc: Scenario): Promise<Result> {
  const value = Buffer.from(
    JSON.stringify({
      apiVersion: 'workload.kcp.io/v1alpha1',
      kind: 'SyncTarget',
      metadata: { name: 'raw', uid: 'bench', annotations: { 'kcp.io/cluster': 'root' } },
      spec: { cluster: 'raw', unschedulable: false },
      status: { lastSyncerHeartbeatTime: new Date().toISOString() },
    }),
    'utf8',
  );
  const latencies: number[] = [];
  let errors = 0;
  let maxGapMs = 0;
  let measuring = false;
  const stop = new AbortController();
  const loops = Array.from({ length: sc.n }, async (_, i) => {
    let lastOk = 0;
    try {
      await realClock.sleep((sc.periodMs * i) / sc.n, stop.signal);
      while (!stop.signal.aborted) {
        const t0 = performance.now();
        let latencyMs = 0;
        try {
          await raw.put(`/bench-heartbeat-raw/synctargets/bench-${i}`, value);
          latencyMs = performance.now() - t0;
          if (measuring) {
            if (lastOk > 0) maxGapMs = Math.max(maxGapMs, t0 + latencyMs - lastOk);
            lastOk = t0 + latencyMs;
            latencies.push(latencyMs);
          }
        } catch (err) {
          if (measuring) {
            errors++;
            const why = `raw put: ${(err as Error).message.slice(0, 80)}`;
            errorKinds.set(why, (errorKinds.get(why) ?? 0) + 1);
          }
        }
        await realClock.sleep(Math.max(0, sc.periodMs - latencyMs), stop.signal);
      }
    } catch {
      // aborted sleep: the window is over
    }
  });
  await realClock.sleep(sc.warmupMs ?? Math.min(sc.periodMs, 2000));
  measuring = true;
  const t0 = performance.now();
  await realClock.sleep(sc.durationMs);
  measuring = false;
  const elapsed = performance.now() - t0;
  stop.abort();
  await Promise.all(loops);
  return { ok: latencies.length, errors, stats: summarize(latencies, elapsed), maxGapMs };
}

/**
 * SyncTargets whose HeartbeatHealthy condition is False although their last heartbeat (as
 * stored) is younger than the threshold: a false staleness verdict. "-" when no reconciler
 * set conditions. Also returns one example for the log.
 */
async function countUnhealthy(c: ClusterClient, targets: SyncTarget[], thresholdMs: number): Promise<number | string> {
  const names = new Set(targets.map((t) => t.metadata.name));
  const list = await c.cluster('root').syncTargets().listAll();
  const now = Date.now();
  let withConditions = 0;
  let falseVerdicts = 0;
  let example = '';
  for (const st of list.items) {
    if (!names.has(st.metadata.name)) continue;
    const cond = st.status?.conditions?.find((x) => x.type === 'HeartbeatHealthy');
    if (!cond) continue;
    withConditions++;
    const beat = Date.parse(st.status?.lastSyncerHeartbeatTime ?? '');
    if (cond.status === 'False' && Number.isFinite(beat) && now - beat < thresholdMs - 1000) {
      falseVerdicts++;
      example ||= `${st.metadata.name}: beat ${st.status?.lastSyncerHeartbeatTime}, HeartbeatHealthy=False since ${cond.lastTransitionTime} (${cond.reason}), read at ${new Date(now).toISOString()}`;
    }
  }
  if (example) process.stderr.write(`false staleness example: ${example}\n`);
  return withConditions === 0 ? '-' : falseVerdicts;
}
