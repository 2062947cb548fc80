// Heartbeat ingest benchmark: N kplane-syncer heartbeat loops (the real HeartbeatLoop, one
// process, one keep-alive agent of 64 sockets) against a started kplane, side by side with a
// bare node:https server (separate process, same TLS certificate) answering the same PATCH
// requests, under the same offered load. Periods are scaled down so that N loops offer a
// load worth measuring (N / period beats per second).
//   npx node hack/bench/heartbeat.ts [--quick]
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
import { realSyncerClock } from '../../pkg/syncer/clock.ts';
import { HeartbeatLoop } from '../../pkg/syncer/heartbeat.ts';
import { startKplane, type Kplane } from '../../test/framework/kplane.ts';
import { formatMs, formatRate, formatRatio, formatTable, parseBenchArgs, summarize } from './lib.ts';

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
      status: { lastSyncerHeartbeatTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
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
  const kp = await startKplane({ args: ['--heartbeat-threshold', `${thresholdS}s`] });
  const bare = await startBare(kp.rootDir);
  try {
    const kplane = ClusterClient.fromFile(kp.kubeconfig, { component: 'bench-heartbeat' });
    const bareConfig = join(kp.rootDir, 'bare.kubeconfig');
    writeFileSync(bareConfig, readFileSync(kp.kubeconfig, 'utf8').replace(/server: https:\/\/[^/\s]+/g, `server: https://127.0.0.1:${bare.port}`));
    const bareClient = ClusterClient.fromFile(bareConfig, { component: 'bench-heartbeat' });
    const rows: (string | number)[][] = [];
    let created = 0;
    for (const sc of scenarios) {
      process.stderr.write(`N=${sc.n}: creating SyncTargets\n`);
      created = await ensureSyncTargets(kplane, created, sc.n);
      process.stderr.write(`N=${sc.n}: heartbeating kplane, then the bare server\n`);
      const targets = (await kplane.cluster('root').syncTargets().listAll()).items.filter((s) => s.metadata.name!.startsWith('bench-')).slice(0, sc.n);
      let falseStale: number | string = '-';
      // Counted while the loops still beat: a False then is a false staleness verdict.
      // Warm up past the threshold: new SyncTargets start HeartbeatHealthy=False (no beat yet),
      // legitimately; only a False that survives a threshold of steady beats is a false verdict.
      const k = await runLoops(kplane, targets, { ...sc, warmupMs: thresholdS * 1000 + 1000 }, async () => {
        falseStale = await countUnhealthy(kplane, targets, thresholdS * 1000);
      });
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
    bare.child.kill('SIGTERM');
    await kp[Symbol.asyncDispose]();
  }
}

async function startBare(rootDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [import.meta.filename, '--serve-bare', join(rootDir, 'apiserver.key'), join(rootDir, 'apiserver.crt')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(Number(l)));
    child.once('exit', (c) => reject(new Error(`bare server exited ${c}`)));
  });
  return { child, port };
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
        clock: realSyncerClock,
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
    return realSyncerClock.sleep((sc.periodMs * i) / targets.length, stop.signal).then(() => loop.run(stop.signal));
  });
  await realSyncerClock.sleep(warmupMs);
  measuring = true;
  const t0 = performance.now();
  await realSyncerClock.sleep(sc.durationMs);
  measuring = false;
  const elapsed = performance.now() - t0;
  await beforeStop?.();
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
