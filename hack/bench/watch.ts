// Watch fan-out benchmark (docs/design.md §11): M HTTP watches spread evenly over W workspaces, an
// open-loop writer patching one SyncTarget per workspace round-robin, and the delivery
// latency of every event to every watcher of its workspace (write start → line received).
// Side by side in the same run: a bare node:https server (separate process, the same TLS
// certificate) that holds the same number of streaming responses and broadcasts each POSTed
// event to the watchers of its "workspace" — what fan-out costs with no storage, no
// authorization and no watch cache.
//   npm run bench -- watch [--quick] [--watchers 1000] [--workspaces 100] [--rate 100]
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type RequestOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ClusterClient } from '../../pkg/client/index.ts';
import { createSyncTargets, createWorkspaces, numberArg, pool, progress, sleep, startKplane, workspaceNames, type Kplane } from './fixture.ts';
import { formatMs, formatRatio, parseBenchArgs, summarize, type LatencyStats } from './lib.ts';
import { checkTarget, finishReport, machineLine } from './report.ts';

const SEQ_ANNOTATION = 'bench.kplane.io/seq';

// --- bare broadcaster (child process) ----------------------------------------------------
if (process.argv[2] === '--serve-bare') {
  serveBare(process.argv[3]!, process.argv[4]!);
} else {
  await main();
}

function serveBare(keyFile: string, certFile: string): void {
  const watchers = new Map<string, Set<ServerResponse>>();
  const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req: IncomingMessage, res: ServerResponse) => {
    const cluster = /^\/clusters\/([^/]+)\//.exec(req.url ?? '')?.[1] ?? '';
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      let set = watchers.get(cluster);
      if (!set) watchers.set(cluster, (set = new Set()));
      set.add(res);
      req.on('close', () => set.delete(res));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Parse and re-serialise, as any server that understands the object would.
      const obj = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      const line = JSON.stringify({ type: 'MODIFIED', object: obj }) + '\n';
      for (const w of watchers.get(cluster) ?? []) w.write(line);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(obj));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

// --- measuring side ------------------------------------------------------------------------
interface Endpoint {
  port: number;
  /** Path of the watch for a workspace. */
  watchPath: (cluster: string) => string;
  /** Send one event for a workspace; resolves when acknowledged. */
  write: (cluster: string, name: string, seq: string) => Promise<void>;
}

interface RunResult {
  stats: LatencyStats;
  expected: number;
  writes: number;
  writeErrors: number;
  offeredPerSecond: number;
  openMs: number;
}

function tlsBase(kp: Kplane, port: number, agent: Agent): RequestOptions {
  return { host: '127.0.0.1', port, ca: kp.caPem, servername: 'localhost', agent, headers: { Authorization: `Bearer ${kp.adminToken}` } };
}

function send(opts: RequestOptions, method: string, path: string, body: string, contentType: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ ...opts, method, path, headers: { ...opts.headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`${method} ${path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function runFanOut(kp: Kplane, ep: Endpoint, clusters: readonly string[], watchers: number, rate: number, seconds: number): Promise<RunResult> {
  // One socket per watch (HTTP/1.1 streams hold their connection), plus room for the writer.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const base = tlsBase(kp, ep.port, agent);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const responses: IncomingMessage[] = [];
  const t0 = performance.now();
  await pool(watchers, 50, (i) => {
    const cluster = clusters[i % clusters.length]!;
    return new Promise<void>((resolve, reject) => {
      const req = request({ ...base, method: 'GET', path: ep.watchPath(cluster), headers: { ...base.headers, Accept: 'application/json' } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`watch ${cluster}: HTTP ${res.statusCode}`));
        responses.push(res);
        const rl = createInterface({ input: res, crlfDelay: Infinity });
        rl.on('line', (line) => {
          const now = performance.now();
          if (!line) return;
          const ev = JSON.parse(line) as { type: string; object: { metadata?: { annotations?: Record<string, string> } } };
          const seq = ev.object.metadata?.annotations?.[SEQ_ANNOTATION];
          const t = seq === undefined ? undefined : sentAt.get(seq);
          if (t !== undefined) latencies.push(now - t);
        });
        res.on('error', () => {});
        resolve();
      });
      req.on('error', reject);
      req.end();
    });
  });
  const openMs = performance.now() - t0;
  await sleep(500);

  let writes = 0;
  let writeErrors = 0;
  let inFlight = 0;
  const total = rate * seconds;
  const tickMs = 10;
  const pending: Promise<void>[] = [];
  const w0 = performance.now();
  for (let seq = 0; seq < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - w0) / tickMs) * ((rate * tickMs) / 1000)) + 1);
    for (; seq < due; seq++) {
      if (inFlight >= 128) {
        writeErrors++;
        continue;
      }
      const cluster = clusters[seq % clusters.length]!;
      const key = String(seq);
      inFlight++;
      sentAt.set(key, performance.now());
      pending.push(
        ep.write(cluster, 'st-' + (seq % clusters.length), key).then(
          () => void writes++,
          () => void writeErrors++,
        ).finally(() => void inFlight--),
      );
    }
    await sleep(tickMs);
  }
  await Promise.all(pending);
  const elapsed = performance.now() - w0;
  await sleep(1500); // stragglers
  for (const r of responses) r.destroy();
  agent.destroy();
  const perCluster = Math.floor(watchers / clusters.length);
  return { stats: summarize(latencies, elapsed), expected: writes * perCluster, writes, writeErrors, offeredPerSecond: (total * 1000) / elapsed, openMs };
}

async function startBare(rootDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [import.meta.filename, '--serve-bare', join(rootDir, 'apiserver.key'), join(rootDir, 'apiserver.crt')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(Number(l)));
    child.once('exit', (c) => reject(new Error(`bare server exited ${c}`)));
  });
  return { child, port };
}

function syncTargetEvent(cluster: string, name: string, seq: string): string {
  return JSON.stringify({
    apiVersion: 'workload.kcp.io/v1alpha1',
    kind: 'SyncTarget',
    metadata: { name, uid: 'bench', resourceVersion: seq, annotations: { 'kcp.io/cluster': cluster, [SEQ_ANNOTATION]: seq } },
    spec: { cluster: `phys-${name}`, cells: { region: 'bench' }, capacity: { cpu: '64', memory: '256Gi', pods: '110' } },
    status: {},
  });
}

async function main(): Promise<void> {
  const { quick } = parseBenchArgs();
  const WORKSPACES = numberArg('workspaces', quick ? 20 : 100);
  const WATCHERS = numberArg('watchers', quick ? 200 : 1_000);
  const RATE = numberArg('rate', quick ? 50 : 100);
  const SECONDS = quick ? 3 : 10;
  console.log(`watch fan-out benchmark (${quick ? 'quick' : 'full'}; ${WATCHERS} watchers over ${WORKSPACES} workspaces; ${RATE} writes/s for ${SECONDS} s; ${machineLine()})`);
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const bare = await startBare(kp.rootDir);
  try {
    const admin = ClusterClient.fromFile(kp.kubeconfig, { component: 'bench-watch-setup' });
    const clusters = await createWorkspaces(admin, workspaceNames(WORKSPACES));
    await createSyncTargets(admin, clusters, WORKSPACES, 16);
    const rv = (await admin.wildcard().syncTargets().list({ limit: 1 })).metadata.resourceVersion ?? '';
    admin.close();
    const kplanePort = Number(new URL(kp.url).port);
    const writeAgent = new Agent({ keepAlive: true, maxSockets: 128 });
    const kplaneWrite = tlsBase(kp, kplanePort, writeAgent);
    const bareWrite = tlsBase(kp, bare.port, writeAgent);
    const stPath = (cluster: string) => `/clusters/${cluster}/apis/workload.kcp.io/v1alpha1/synctargets`;
    const kplaneEp: Endpoint = {
      port: kplanePort,
      watchPath: (c) => `${stPath(c)}?watch=true&resourceVersion=${rv}`,
      write: (c, name, seq) => send(kplaneWrite, 'PATCH', `${stPath(c)}/${name}`, JSON.stringify({ metadata: { annotations: { [SEQ_ANNOTATION]: seq } } }), 'application/merge-patch+json'),
    };
    const bareEp: Endpoint = {
      port: bare.port,
      watchPath: (c) => `${stPath(c)}?watch=true`,
      write: (c, name, seq) => send(bareWrite, 'POST', `${stPath(c)}/${name}`, syncTargetEvent(c, name, seq), 'application/json'),
    };
    const k = await runFanOut(kp, kplaneEp, clusters, WATCHERS, RATE, SECONDS);
    progress(`kplane: ${k.stats.count}/${k.expected} deliveries, p50 ${formatMs(k.stats.p50Ms)} p99 ${formatMs(k.stats.p99Ms)} ms`);
    const b = await runFanOut(kp, bareEp, clusters, WATCHERS, RATE, SECONDS);
    progress(`bare: ${b.stats.count}/${b.expected} deliveries, p50 ${formatMs(b.stats.p50Ms)} p99 ${formatMs(b.stats.p99Ms)} ms`);
    writeAgent.destroy();

    const row = (name: string, r: RunResult) => [
      name,
      (r.openMs / 1000).toFixed(2),
      r.writes,
      `${r.stats.count}/${r.expected}`,
      Math.round(r.stats.count / (r.stats.durationMs / 1000)),
      formatMs(r.stats.p50Ms),
      formatMs(r.stats.p99Ms),
      formatMs(r.stats.maxMs),
    ];
    const target = checkTarget(`watch delivery p99, ${WATCHERS} watchers over ${WORKSPACES} workspaces`, '≤ 100 ms at 1,000 watchers / 100 workspaces', k.stats.p99Ms, 100, 'ms');
    const lost = k.expected - k.stats.count;
    finishReport({
      bench: 'watch',
      quick,
      table: {
        headers: ['server', 'open watches s', 'writes', 'delivered/expected', 'deliveries/s', 'p50 ms', 'p99 ms', 'max ms'],
        rows: [row('kplane', k), row('bare node:https broadcaster', b), ['ratio kplane/bare', formatRatio(k.openMs, b.openMs), '-', '-', '-', formatRatio(k.stats.p50Ms, b.stats.p50Ms), formatRatio(k.stats.p99Ms, b.stats.p99Ms), formatRatio(k.stats.maxMs, b.stats.maxMs)]],
      },
      summary: `${WATCHERS} watchers over ${WORKSPACES} workspaces at ${RATE} writes/s (${WATCHERS / WORKSPACES} deliveries per write): kplane delivery p50/p99 ${formatMs(k.stats.p50Ms)}/${formatMs(k.stats.p99Ms)} ms, bare node:https broadcaster ${formatMs(b.stats.p50Ms)}/${formatMs(b.stats.p99Ms)} ms (${formatRatio(k.stats.p99Ms, b.stats.p99Ms)} at p99)${lost > 0 ? `; ${lost} deliveries missing` : ''}`,
      targets: [WATCHERS < 1000 || WORKSPACES < 100 ? { ...target, note: `measured at ${WATCHERS} watchers / ${WORKSPACES} workspaces` } : target],
      notes: [
        'latency = from the start of the write request (client side) to the event line received by a watcher; kplane\'s includes the durable write (fsync)',
        'watchers, writer and latency recording share the benchmark process; kplane and the bare broadcaster each run in their own process',
        `writes ok: kplane ${k.writes} (${k.writeErrors} failed/dropped), bare ${b.writes} (${b.writeErrors} failed/dropped)`,
      ],
      charts: [
        {
          title: `watch delivery, ${WATCHERS} watchers / ${WORKSPACES} workspaces, ${RATE} writes/s`,
          unit: 'ms',
          groups: [
            { label: 'p50', bars: [{ series: 'kplane', value: k.stats.p50Ms }, { series: 'bare node:https', value: b.stats.p50Ms }] },
            { label: 'p99', bars: [{ series: 'kplane', value: k.stats.p99Ms }, { series: 'bare node:https', value: b.stats.p99Ms }] },
          ],
        },
      ],
      data: { workspaces: WORKSPACES, watchers: WATCHERS, rate: RATE, seconds: SECONDS, kplane: k, bare: b },
    });
  } finally {
    bare.child.kill('SIGTERM');
  }
}
