// Scale benchmark (issue 15, docs/design.md §11 "bulk" and "memory"): N SyncTargets over W
// workspaces created by 16 concurrent clients against a default `kplane start` (SQLite,
// controllers in-process), then:
//   1. time from the first create to every target reconciled, observed on a wildcard watch
//      from this process: "reconciled" = the SyncTarget controller wrote the syncer identity
//      (status.syncerIdentity: ServiceAccount, ClusterRole, ClusterRoleBinding; no token Secret
//      for these targets, whose syncers are deployed by hand) and the conditions Valid,
//      SyncerAuthorized, SyncerDeployed and Ready, and the heartbeat controller wrote
//      HeartbeatHealthy;
//   2. the writes that took (storage revision before/after) and the RSS of the kplane
//      process tree once the controllers are idle (workqueue_depth 0 on /metrics); then, through
//      the kplane process's inspector, a full GC and its memoryUsage() (heap used/total,
//      external) and the tree's RSS again: what is live versus what is garbage not yet returned;
//   3. restart on the same root dir (SIGTERM, then `kplane start` again): time to "ready",
//      time until the controllers are idle again, and the writes the restart made (must be 0);
//   4. staleness detection at N: one heartbeat per target, then silence; latency from each
//      beat's acknowledgement + threshold to HeartbeatHealthy=False on a watch, and the write
//      requests the server answered meanwhile (apiserver_request_total by verb, resource, code).
// Baseline in the same run, on a separate `kplane start --controllers -` with its own root
// dir: the same 16 clients create the same targets and write one status PATCH each (the least
// any reconciler must write), then the same RSS and restart measurements.
// --split-controllers measures another process layout for kplane (not the floor): `kplane start
// --controllers -` plus a separate `kplane controllers` process over the admin kubeconfig; RSS
// is then the sum of both process trees.
//   npm run bench -- scale [--quick] [--n 10000] [--workspaces 100] [--no-staleness] [--split-controllers]
//                          [--floor-only] [--server-node-options "--cpu-prof --cpu-prof-dir=DIR"]
//                          [--heap-snapshot DIR] [--no-floor] [--settle SECONDS] [--kplane-args "FLAGS"]
//                          [--beat status|lease]
// `--beat lease` makes the staleness phase's beats Lease writes instead of status patches
// (staleness.ts; the syncer's --heartbeat-lease).
// `--floor-only` measures only the floor (the API server's request path, no controllers) and
// prints its figures; `--server-node-options` passes Node options to every kplane started.
// `--heap-snapshot DIR` writes a heap snapshot of each kplane server after the full GC (bulk and
// restart), for `node hack/profile/heap.ts`; `--no-floor` skips the floor (a paired memory run of
// two kplane versions does not need it); `--settle S` leaves the server alone for S seconds
// after the bulk run and reads its RSS with no forced GC before (what an idle server gives back
// by itself), and only then collects garbage for the "after a full GC" figures and the bulk
// run's heap snapshot. The full GC reaches every isolate, the controllers' worker thread too.
// With --settle the memory goal is judged on that settled RSS (a server's steady state after a
// burst), and the progress lines show what the idle heap reduction did meanwhile.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterClient, type SyncTarget, type WatchEvent } from '../../pkg/client/index.ts';
import { keyOf } from '../../pkg/informer/keys.ts';
import { REDUCER_LOG } from '../../pkg/memory/idle-reducer.ts';
import { createWorkspaces, distMain, flagListArg, numberArg, pool, processCpuMs, progress, serverNodeArgs, startKplane, storageRevision, syncTargetObject, waitFor, workspaceNames, type CreatedTarget, type Kplane } from './fixture.ts';
import { formatMs, formatRatio, formatTable, parseBenchArgs } from './lib.ts';
import { checkTarget, finishReport, machineLine, type TargetCheck } from './report.ts';
import { staleness, type Staleness } from './staleness.ts';
import { withInspector, type Inspector, type MemoryBreakdown } from './inspector.ts';

const { quick } = parseBenchArgs();
const TARGETS = numberArg('n', quick ? 1_000 : 10_000);
const WORKSPACES = numberArg('workspaces', quick ? 10 : 100);
const CLIENTS = 16;
const STALENESS = !process.argv.includes('--no-staleness');
/** --beat lease: the staleness phase's targets beat by Lease (staleness.ts). */
const BEAT = ((): 'status' | 'lease' => {
  const beat = flagListArg('beat')[0] ?? 'status';
  if (beat !== 'status' && beat !== 'lease') throw new Error(`--beat must be status or lease, not "${beat}"`);
  return beat;
})();
const FLOOR_ONLY = process.argv.includes('--floor-only');
const NODE_ARGS = serverNodeArgs();
const SPLIT = process.argv.includes('--split-controllers');
const NO_FLOOR = process.argv.includes('--no-floor');
const SETTLE_S = numberArg('settle', 0);
const SNAPSHOT_DIR = (() => {
  const i = process.argv.indexOf('--heap-snapshot');
  return i < 0 ? undefined : process.argv[i + 1];
})();
/**
 * The one non-default flag: with the default 60 s the staleness phase would wait a minute.
 * No target beats before that phase, so the threshold changes nothing the bulk phase does.
 */
const THRESHOLD_MS = 10_000;
/** --kplane-args "…": more flags for kplane (not the floor), e.g. to pair two process layouts. */
const KPLANE_ARGS = flagListArg('kplane-args');
const RECONCILE_TIMEOUT_MS = 1_800_000;

const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
const gcLine = (g: { treeRssBytes: number; server: MemoryBreakdown; beforeGc: MemoryBreakdown }) =>
  `before GC: server RSS ${mib(g.beforeGc.rss)}, heap used ${mib(g.beforeGc.heapUsed)} / total ${mib(g.beforeGc.heapTotal)} MiB; after GC: tree RSS ${mib(g.treeRssBytes)} MiB; server heap used ${mib(g.server.heapUsed)} / total ${mib(g.server.heapTotal)} MiB, external ${mib(g.server.external)} MiB${workersLine(g.server)}`;
const workersLine = (m: MemoryBreakdown) => (m.workersHeapUsed === undefined ? '' : `, controllers' worker heap used ${mib(m.workersHeapUsed)} MiB`);
const secs = (ms: number) => (ms / 1000).toFixed(2);

/** VmRSS of a process and all its descendants (the default tree may hold more than one process). */
export function treeRssBytes(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      total += m ? Number(m[1]) * 1024 : 0;
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // the process exited between listing and reading: it holds no memory any more
    }
  }
  return total;
}

/** The separate controllers process of a --split-controllers run, by the server it serves. */
const controllersOf = new Map<Kplane, ChildProcess>();

/** RSS of everything a measured kplane runs: its process tree, plus a separate controllers process. */
function layoutRss(kp: Kplane): number {
  const c = controllersOf.get(kp);
  return treeRssBytes(kp.process.pid!) + (c?.pid ? treeRssBytes(c.pid) : 0);
}

/** Start kplane; with `controllersArgs`, also `kplane controllers` against it (stopped with it). */
async function startLayout(start: () => Promise<Kplane>, controllersArgs: string[] | undefined): Promise<{ started: Kplane; inspector: Inspector }> {
  const { started, inspector } = await withInspector(start);
  if (!controllersArgs) return { started, inspector };
  // No election: one SQLite server has one controllers process, as the default layout runs them
  // in-process; a Lease renewed every 2 s would also keep waitQuiet from ever seeing 2 s of quiet.
  // The same Node options as the server, so --server-node-options profiles this process too.
  const argv = [...NODE_ARGS, distMain('kplane'), 'controllers', '--kubeconfig', started.kubeconfig, '--leader-elect=false', ...controllersArgs];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stopServer = started.stop;
  // Changed in place, not copied: `logs` is a getter that reads the log file when asked.
  started.stop = async (signal) => {
    child.kill('SIGTERM');
    await exited;
    return stopServer(signal);
  };
  controllersOf.set(started, child);
  return { started, inspector };
}


/** One scrape of the server's /metrics (text format). */
async function scrape(client: ClusterClient): Promise<string> {
  const res = await client.transport.do({ method: 'GET', path: '/metrics' });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.body;
}

/** The samples of one metric family in a scrape: each line's text and value. */
function samplesIn(text: string, family: string): { line: string; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${family}{`) || line.startsWith(`${family} `))
    .map((line) => ({ line, value: Number(line.slice(line.lastIndexOf(' ') + 1)) }));
}

/** The samples of one metric family on the server's /metrics: each line's text and value. */
async function metricSamples(client: ClusterClient, family: string): Promise<{ line: string; value: number }[]> {
  return samplesIn(await scrape(client), family);
}

/** Sum of a metric family over every label set (e.g. every controller queue), from the server's /metrics. */
async function metricSum(client: ClusterClient, family: string): Promise<number> {
  return (await metricSamples(client, family)).reduce((sum, s) => sum + s.value, 0);
}

const queueDepth = (client: ClusterClient) => metricSum(client, 'workqueue_depth');

/** Requests that write (not GET, LIST or WATCH) by "VERB resource/subresource code", from /metrics. */
async function writeRequests(client: ClusterClient): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { line, value } of await metricSamples(client, 'apiserver_request_total')) {
    const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(line)?.[1] ?? '';
    if (['GET', 'LIST', 'WATCH'].includes(label('verb'))) continue;
    const key = `${label('verb')} ${label('resource')}${label('subresource') ? '/' + label('subresource') : ''} ${label('code')}`;
    counts.set(key, (counts.get(key) ?? 0) + value);
  }
  return counts;
}

/** "PUT synctargets/status 200: 4000, …" for what grew between two writeRequests readings. */
function writesBetween(before: Map<string, number>, after: Map<string, number>): string {
  return [...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const).filter(([, d]) => d > 0).map(([k, d]) => `${k}: ${d}`).join(', ');
}

/**
 * The server's threads over a phase: how busy each one's event loop was
 * (kplane_thread_busy_seconds_total), and the API server's thread as prom-client's default
 * metrics see it: its garbage collections by kind (count, seconds) and its event loop's largest
 * delay since the last /metrics read (the histogram is reset at every read). For telling a
 * phase's tail apart: a long pause, or which loop is simply full.
 */
async function serverThread(client: ClusterClient): Promise<{ gc: Map<string, { count: number; seconds: number }>; lagMaxMs: number; statusPut: Map<string, number>; busy: Map<string, number>; at: number }> {
  const at = performance.now();
  // One scrape: every scrape resets the event-loop delay histogram, so a second one would
  // leave the delay maximum covering only the moments between the two.
  const text = await scrape(client);
  const busy = new Map<string, number>();
  for (const { line, value } of samplesIn(text, 'kplane_thread_busy_seconds_total')) busy.set(/thread="([^"]*)"/.exec(line)?.[1] ?? '', value);
  const statusPut = new Map<string, number>();
  for (const { line, value } of samplesIn(text, 'apiserver_request_duration_seconds_bucket')) {
    if (line.includes('verb="PUT"') && line.includes('resource="synctargets"') && line.includes('subresource="status"')) statusPut.set(/le="([^"]*)"/.exec(line)?.[1] ?? '', value);
  }
  const gc = new Map<string, { count: number; seconds: number }>();
  const kind = (line: string) => /kind="([^"]*)"/.exec(line)?.[1] ?? '';
  for (const { line, value } of samplesIn(text, 'nodejs_gc_duration_seconds_count')) gc.set(kind(line), { count: value, seconds: gc.get(kind(line))?.seconds ?? 0 });
  for (const { line, value } of samplesIn(text, 'nodejs_gc_duration_seconds_sum')) gc.set(kind(line), { count: gc.get(kind(line))?.count ?? 0, seconds: value });
  const lag = samplesIn(text, 'nodejs_eventloop_lag_max_seconds');
  return { gc, lagMaxMs: (lag[0]?.value ?? Number.NaN) * 1000, statusPut, busy, at };
}

/** The bucket bound under which a quantile of the requests between two readings finished ("≤ 0.1 s"). */
function bucketQuantile(before: Map<string, number>, after: Map<string, number>, q: number): string {
  const total = (after.get('+Inf') ?? 0) - (before.get('+Inf') ?? 0);
  if (total <= 0) return '-';
  for (const [le, v] of after) if (v - (before.get(le) ?? 0) >= q * total) return `≤ ${le} s`;
  return '-';
}

/** "threads busy: api-server 70 %, controllers 95 %; GC major 2 (0.41 s), …; event loop delay max 512 ms; server-side PUT …" between two readings. */
function serverThreadBetween(before: Awaited<ReturnType<typeof serverThread>>, after: Awaited<ReturnType<typeof serverThread>>): string {
  const gcs = [...after.gc]
    .map(([k, v]) => [k, v.count - (before.gc.get(k)?.count ?? 0), v.seconds - (before.gc.get(k)?.seconds ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n, secsSpent]) => `${k} ${n} (${secsSpent.toFixed(2)} s)`);
  const put = `server-side PUT synctargets/status p50 ${bucketQuantile(before.statusPut, after.statusPut, 0.5)}, p99 ${bucketQuantile(before.statusPut, after.statusPut, 0.99)}`;
  const wallS = (after.at - before.at) / 1000;
  const busy = [...after.busy].map(([t, v]) => `${t} ${Math.round((100 * (v - (before.busy.get(t) ?? 0))) / wallS)} %`).join(', ');
  return `threads busy: ${busy || '-'}; API server's thread: GC ${gcs.join(', ') || 'none'}; event loop delay max ${formatMs(after.lagMaxMs)} ms; ${put}`;
}

/**
 * Idle = every queue empty and the storage revision unchanged for `quietMs`. Requeues after a
 * delay (heartbeat rechecks) are not in the depth, but no target beats here, so none are due.
 */
async function waitQuiet(client: ClusterClient, quietMs = 2_000): Promise<number> {
  let rev = await storageRevision(client);
  let since = performance.now();
  await waitFor(
    'controllers idle',
    async () => {
      const now = await storageRevision(client);
      const depth = await queueDepth(client);
      if (now !== rev || depth > 0) {
        rev = now;
        since = performance.now();
      }
      return [performance.now() - since >= quietMs, `revision ${now}, queued ${depth}`];
    },
    RECONCILE_TIMEOUT_MS,
    250,
  );
  return rev;
}

function reconciled(st: SyncTarget): boolean {
  const types = new Set((st.status?.conditions ?? []).map((c) => c.type));
  const id = st.status?.syncerIdentity;
  return Boolean(id?.serviceAccount && id.clusterRole && id.clusterRoleBinding) && ['Valid', 'SyncerAuthorized', 'SyncerDeployed', 'Ready', 'HeartbeatHealthy'].every((t) => types.has(t));
}

/** Follow every SyncTarget on a wildcard watch; resolves when `want` keys were seen reconciled (or `done` for the floor). */
function observe(client: ClusterClient, fromRevision: number, want: number, done: (st: SyncTarget) => boolean): { all: Promise<number>; count: () => number; stop: () => Promise<void> } {
  const stop = new AbortController();
  const seen = new Set<string>();
  let resolveAll!: (t: number) => void;
  const all = new Promise<number>((r) => (resolveAll = r));
  const loop = (async () => {
    try {
      const events = client.wildcard().syncTargets().watch({ resourceVersion: String(fromRevision), signal: stop.signal }) as AsyncGenerator<WatchEvent<SyncTarget>>;
      for await (const ev of events) {
        if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') continue;
        if (!done(ev.object)) continue;
        seen.add(keyOf(ev.object));
        if (seen.size >= want) resolveAll(performance.now());
      }
    } catch (err) {
      if (!stop.signal.aborted) throw err;
    }
  })();
  return {
    all,
    count: () => seen.size,
    stop: async () => {
      stop.abort();
      await loop;
    },
  };
}

interface AfterGc {
  treeRssBytes: number;
  server: MemoryBreakdown;
  /** The server's memoryUsage() just before the collection (heapTotal: V8's share of the RSS before). */
  beforeGc: MemoryBreakdown;
}

/** Collect the kplane process's garbage, then read its breakdown and the tree's RSS. */
async function afterGc(kp: Kplane, inspector: Inspector, snapshot: string | undefined): Promise<AfterGc> {
  const beforeGc = await inspector.memoryNow();
  const server = await inspector.memoryAfterGc();
  const tree = layoutRss(kp);
  if (SNAPSHOT_DIR && snapshot) {
    const file = join(SNAPSHOT_DIR, `scale-${snapshot}-${kp.process.pid}.heapsnapshot`);
    await inspector.heapSnapshot(file);
    progress(`heap snapshot: ${file}`);
  }
  return { treeRssBytes: tree, server, beforeGc };
}

/** The server's idle heap reduction log lines (pkg/memory, --reduce-idle-heap), both threads. */
function reductionsOf(kp: Kplane): Record<string, unknown>[] {
  const messages: unknown[] = [REDUCER_LOG.nudged, REDUCER_LOG.reduced];
  return kp.logs.filter((l) => messages.includes(l['message']));
}

/** "idle heap: api-server nudged (5 ms), api-server reduced by V8 292 → 163 MiB, controllers forced 155 → 111 MiB in 351 ms", from the `from`-th line on. */
function reductionsLine(kp: Kplane, from = 0): string {
  const each = reductionsOf(kp).slice(from).map((l) => {
    const who = String(l['isolate']);
    if (l['by'] === 'forced') return `${who} forced ${String(l['committedMiB'])} → ${String(l['afterMiB'])} MiB in ${String(l['pauseMs'])} ms`;
    if (l['by'] === 'v8') return `${who} reduced by V8 ${String(l['committedMiB'])} → ${String(l['afterMiB'])} MiB`;
    return `${who} nudged (${String(l['pauseMs'])} ms)`;
  });
  return `idle heap: ${each.length ? each.join(', ') : 'nothing done'}`;
}

interface Bulk {
  createMs: number;
  reconciledMs: number;
  writes: number;
  rssBytes: number;
  /** After a full GC of the kplane process (the tree's RSS and that process's breakdown). */
  afterGc: AfterGc;
  /** With --settle S: the tree's RSS after S seconds left alone, before any forced GC. */
  settledRssBytes?: number;
  /** Controller requeues after a failed reconcile (conflicts included): work done twice. */
  retries: number;
  /** CPU time of the kplane process from the first create until all were observed done. */
  cpuMs: number;
}

/** Create N targets with 16 clients (the floor also PATCHes status once each) and time until all are observed done. */
async function bulk(kp: Kplane, client: ClusterClient, clusters: readonly string[], floor: boolean): Promise<{ bulk: Omit<Bulk, 'afterGc'>; targets: CreatedTarget[] }> {
  const rev0 = await storageRevision(client);
  const retries0 = await metricSum(client, 'workqueue_retries_total');
  const watch = observe(client, rev0, TARGETS, floor ? (st) => st.status?.phase === 'Pending' : reconciled);
  const targets: CreatedTarget[] = [];
  const report = setInterval(() => progress(`${floor ? 'floor' : 'kplane'}: ${targets.length}/${TARGETS} created, ${watch.count()} done`), 5_000);
  const cpu0 = processCpuMs(kp.process.pid!);
  const t0 = performance.now();
  try {
    await pool(TARGETS, CLIENTS, async (i) => {
      const cluster = clusters[i % clusters.length]!;
      const sts = client.cluster(cluster).syncTargets();
      await sts.create(syncTargetObject(i));
      if (floor) await sts.patchStatus(`st-${i}`, 'merge', { status: { phase: 'Pending' } });
      targets.push({ cluster, name: `st-${i}` });
    });
    const createMs = performance.now() - t0;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((r) => (timer = setTimeout(() => r(Number.NaN), RECONCILE_TIMEOUT_MS)));
    const end = await Promise.race([watch.all, timeout]);
    clearTimeout(timer);
    if (Number.isNaN(end)) throw new Error(`not all reconciled within ${RECONCILE_TIMEOUT_MS / 1000} s: ${watch.count()}/${TARGETS}`);
    const reconciledMs = end - t0;
    const cpuMs = processCpuMs(kp.process.pid!) - cpu0;
    const rev = await waitQuiet(client);
    const retries = (await metricSum(client, 'workqueue_retries_total')) - retries0;
    const rssBytes = layoutRss(kp);
    return { bulk: { createMs, reconciledMs, writes: rev - rev0, rssBytes, retries, cpuMs }, targets };
  } finally {
    clearInterval(report);
    await watch.stop();
  }
}

interface Restart {
  readyMs: number;
  idleMs: number;
  writes: number;
  rssBytes: number;
  afterGc: AfterGc;
}

/** Stop kplane (SIGTERM) and start it again on the same root dir; ready time, idle time, writes. */
async function restart(kp: Kplane, args: string[], controllersArgs: string[] | undefined, revBefore: number): Promise<{ kp: Kplane; inspector: Inspector; restart: Restart }> {
  await kp.stop();
  const t0 = performance.now();
  // Same port as before, as a real restart: the SyncTargets' syncer view URL names it, and a
  // new random port would be a legitimate change the controllers must write to every target.
  const samePort = ['--secure-port', new URL(kp.url).port];
  const { started: again, inspector } = await startLayout(() => startKplane({ rootDir: kp.rootDir, keepRootDir: true, args: [...args, ...samePort], nodeArgs: NODE_ARGS }), controllersArgs);
  const readyMs = performance.now() - t0;
  const client = ClusterClient.fromFile(again.kubeconfig, { component: 'bench-scale-restart' });
  const rev = await waitQuiet(client);
  const idleMs = performance.now() - t0;
  client.close();
  const rssBytes = layoutRss(again);
  return { kp: again, inspector, restart: { readyMs, idleMs, writes: rev - revBefore, rssBytes, afterGc: await afterGc(again, inspector, 'restart') } };
}

interface Run {
  bulk: Bulk;
  restart: Restart;
  stale?: Staleness;
}

async function measure(args: string[], floor: boolean, controllersArgs?: string[]): Promise<Run> {
  const rootDir = mkdtempSync(join(tmpdir(), 'kplane-bench-scale-'));
  try {
    const first = await startLayout(() => startKplane({ rootDir, keepRootDir: true, args, nodeArgs: NODE_ARGS }), controllersArgs);
    let kp = first.started;
    let client = ClusterClient.fromFile(kp.kubeconfig, { component: 'bench-scale' });
    const clusters = await createWorkspaces(client, workspaceNames(WORKSPACES));
    await waitQuiet(client);
    const measured = await bulk(kp, client, clusters, floor);
    // With --settle the server is left alone (no forced GC) for S seconds first: what an idle
    // server gives back by itself; the full collection comes after that reading.
    let settledRss: number | undefined;
    if (SETTLE_S > 0) {
      await new Promise((r) => setTimeout(r, SETTLE_S * 1000));
      settledRss = layoutRss(kp);
    }
    const gc = await afterGc(kp, first.inspector, SETTLE_S > 0 ? (floor ? 'floor-settled' : 'settled') : floor ? 'floor-bulk' : 'bulk');
    const b = { bulk: { ...measured.bulk, afterGc: gc, ...(settledRss !== undefined ? { settledRssBytes: settledRss } : {}) }, targets: measured.targets };
    if (settledRss !== undefined) progress(`${floor ? 'floor' : 'kplane'}: settled ${SETTLE_S} s with no forced GC: RSS ${mib(settledRss)} MiB (${reductionsLine(kp)}); then ${gcLine(gc)}`);
    first.inspector.close();
    progress(`${floor ? 'floor' : 'kplane'}: created in ${secs(b.bulk.createMs)} s, all done at ${secs(b.bulk.reconciledMs)} s (server CPU ${secs(b.bulk.cpuMs)} s), ${b.bulk.writes} writes, RSS ${mib(b.bulk.rssBytes)} MiB (${gcLine(b.bulk.afterGc)})`);
    const revBefore = await storageRevision(client);
    client.close();
    const r = await restart(kp, args, controllersArgs, revBefore);
    kp = r.kp;
    r.inspector.close();
    progress(`${floor ? 'floor' : 'kplane'}: restart ready in ${secs(r.restart.readyMs)} s, idle at ${secs(r.restart.idleMs)} s, ${r.restart.writes} writes, RSS ${mib(r.restart.rssBytes)} MiB (${gcLine(r.restart.afterGc)})`);
    let stale: Staleness | undefined;
    if (!floor && STALENESS) {
      client = ClusterClient.fromFile(kp.kubeconfig, { component: 'bench-scale-staleness' });
      const writes0 = await writeRequests(client);
      const thread0 = await serverThread(client);
      const reductions0 = reductionsOf(kp).length;
      stale = await staleness(client, b.targets, THRESHOLD_MS, { beat: BEAT });
      const thread1 = await serverThread(client);
      const late = stale.late.count ? `${stale.late.count} more than 1 s late (${stale.late.writtenLate} of them written ≥ 2 s late by lastTransitionTime), their deadlines ${stale.late.deadlineFromS.toFixed(1)}–${stale.late.deadlineToS.toFixed(1)} s after the first` : 'none more than 1 s late';
      progress(`kplane: staleness p50 ${formatMs(stale.stats.p50Ms)} ms, p99 ${formatMs(stale.stats.p99Ms)} ms, ${stale.missed} missed, ${late}; write requests meanwhile: ${writesBetween(writes0, await writeRequests(client))}; ${serverThreadBetween(thread0, thread1)}; ${reductionsLine(kp, reductions0)}`);
      client.close();
    }
    await kp.stop();
    return { bulk: b.bulk, restart: r.restart, ...(stale ? { stale } : {}) };
  } finally {
    rmSync(rootDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const n = TARGETS.toLocaleString('en-US');
  console.log(`scale benchmark (${quick ? 'quick' : 'full'}; ${n} SyncTargets over ${WORKSPACES} workspaces, ${CLIENTS} clients; heartbeat threshold ${THRESHOLD_MS / 1000}s; ${machineLine()})`);
  if (NO_FLOOR) {
    const threshold = ['--heartbeat-threshold', `${THRESHOLD_MS / 1000}s`, ...KPLANE_ARGS];
    await (SPLIT ? measure(['--controllers', '-'], false, threshold) : measure(threshold, false));
    console.log(`kplane only (--no-floor): figures in the progress lines above; ${machineLine()}`);
    return;
  }
  const floor = await measure(['--controllers', '-'], true);
  if (FLOOR_ONLY) {
    const rate = Math.round((2 * TARGETS * 1000) / floor.bulk.createMs);
    console.log(
      formatTable(
        ['floor (--controllers -, 1 create + 1 status PATCH per target)', 'value'],
        [
          [`create + PATCH ${n} with ${CLIENTS} clients (s)`, secs(floor.bulk.createMs)],
          ['requests per second', rate],
          ['server CPU per request (ms)', (floor.bulk.cpuMs / (2 * TARGETS)).toFixed(3)],
          ['first create to all seen on the watch (s)', secs(floor.bulk.reconciledMs)],
          ['storage writes', floor.bulk.writes],
          ['RSS after (MiB)', mib(floor.bulk.rssBytes)],
          ['restart: ready (s)', secs(floor.restart.readyMs)],
        ],
      ),
    );
    console.log(`floor only: ${n} targets, ${secs(floor.bulk.createMs)} s, ${rate} requests/s, server CPU ${(floor.bulk.cpuMs / (2 * TARGETS)).toFixed(3)} ms/request; ${machineLine()}`);
    return;
  }
  const threshold = ['--heartbeat-threshold', `${THRESHOLD_MS / 1000}s`, ...KPLANE_ARGS];
  const kp = SPLIT ? await measure(['--controllers', '-'], false, threshold) : await measure(threshold, false);

  const sizeNote = TARGETS < 10_000 ? `measured at N=${n}, not 10,000` : undefined;
  const noted = (t: TargetCheck): TargetCheck => (sizeNote ? { ...t, note: sizeNote } : t);
  const targets: TargetCheck[] = [
    noted(checkTarget(`${n} SyncTargets created by ${CLIENTS} clients, all reconciled`, '≤ 30 s (then ≤ 10 s) at 10,000', kp.bulk.reconciledMs / 1000, 30, 's')),
    noted(kp.bulk.settledRssBytes !== undefined
      ? checkTarget(`RSS of the default process tree, ${SETTLE_S} s after`, '≤ 300 MiB', kp.bulk.settledRssBytes / 1024 / 1024, 300, 'MiB')
      : checkTarget('RSS of the default process tree right after', '≤ 300 MiB', kp.bulk.rssBytes / 1024 / 1024, 300, 'MiB')),
    noted(checkTarget('restart: ready', '≤ 5 s', kp.restart.readyMs / 1000, 5, 's')),
    checkTarget('restart: writes', '0', kp.restart.writes, 0, 'writes'),
  ];
  if (kp.stale) {
    const t = checkTarget(`staleness detection p99 past the threshold, ${n} targets`, '≤ threshold + 1 s', kp.stale.stats.p99Ms / 1000, 1, 's');
    targets.push(kp.stale.missed > 0 ? { ...t, met: false, note: `${kp.stale.missed} never detected` } : noted(t));
  } else {
    targets.push({ name: 'staleness detection', goal: '≤ threshold + 1 s', measured: '-', met: undefined, note: 'skipped (--no-staleness)' });
  }
  const row = (label: string, a: number | string, b: number | string, ratio = '-') => [label, a, b, ratio];
  finishReport({
    bench: SPLIT ? 'scale-split' : 'scale',
    quick,
    table: {
      headers: ['measure', SPLIT ? 'kplane start --controllers - + kplane controllers' : 'kplane start (default)', 'floor: --controllers -, 1 status PATCH', 'ratio'],
      rows: [
        row(`create ${n} with ${CLIENTS} clients (s)`, secs(kp.bulk.createMs), secs(floor.bulk.createMs), formatRatio(kp.bulk.createMs, floor.bulk.createMs)),
        row('first create to all reconciled (s)', secs(kp.bulk.reconciledMs), secs(floor.bulk.reconciledMs), formatRatio(kp.bulk.reconciledMs, floor.bulk.reconciledMs)),
        row('targets per second', Math.round((TARGETS * 1000) / kp.bulk.reconciledMs), Math.round((TARGETS * 1000) / floor.bulk.reconciledMs), formatRatio(floor.bulk.reconciledMs, kp.bulk.reconciledMs)),
        row('storage writes (incl. creates)', kp.bulk.writes, floor.bulk.writes, formatRatio(kp.bulk.writes, floor.bulk.writes)),
        row('controller retries (failed reconciles, conflicts)', kp.bulk.retries, '-'),
        row('writes per target', (kp.bulk.writes / TARGETS).toFixed(1), (floor.bulk.writes / TARGETS).toFixed(1)),
        row('RSS of the process tree after (MiB)', mib(kp.bulk.rssBytes), mib(floor.bulk.rssBytes), formatRatio(kp.bulk.rssBytes, floor.bulk.rssBytes)),
        ...(kp.bulk.settledRssBytes !== undefined && floor.bulk.settledRssBytes !== undefined
          ? [row(`  ${SETTLE_S} s later, no forced GC (MiB)`, mib(kp.bulk.settledRssBytes), mib(floor.bulk.settledRssBytes), formatRatio(kp.bulk.settledRssBytes, floor.bulk.settledRssBytes))]
          : []),
        row('  after a full GC: tree RSS (MiB)', mib(kp.bulk.afterGc.treeRssBytes), mib(floor.bulk.afterGc.treeRssBytes), formatRatio(kp.bulk.afterGc.treeRssBytes, floor.bulk.afterGc.treeRssBytes)),
        row('  after a full GC: server heap used / total (MiB)', `${mib(kp.bulk.afterGc.server.heapUsed)} / ${mib(kp.bulk.afterGc.server.heapTotal)}`, `${mib(floor.bulk.afterGc.server.heapUsed)} / ${mib(floor.bulk.afterGc.server.heapTotal)}`),
        row('  after a full GC: server external (MiB)', mib(kp.bulk.afterGc.server.external), mib(floor.bulk.afterGc.server.external)),
        row('restart: ready (s)', secs(kp.restart.readyMs), secs(floor.restart.readyMs), formatRatio(kp.restart.readyMs, floor.restart.readyMs)),
        row('restart: controllers idle (s)', secs(kp.restart.idleMs), secs(floor.restart.idleMs)),
        row('restart: writes', kp.restart.writes, floor.restart.writes),
        row('restart: RSS when idle (MiB)', mib(kp.restart.rssBytes), mib(floor.restart.rssBytes)),
        row('restart: after a full GC: tree RSS / server heap used (MiB)', `${mib(kp.restart.afterGc.treeRssBytes)} / ${mib(kp.restart.afterGc.server.heapUsed)}`, `${mib(floor.restart.afterGc.treeRssBytes)} / ${mib(floor.restart.afterGc.server.heapUsed)}`),
        ...(kp.stale
          ? [
              row(`staleness past the ${THRESHOLD_MS / 1000}s threshold p50 (ms)`, formatMs(kp.stale.stats.p50Ms), '-'),
              row('staleness past the threshold p99 (ms)', formatMs(kp.stale.stats.p99Ms), '-'),
              row('stale targets not detected', kp.stale.missed, '-'),
            ]
          : []),
      ],
    },
    summary: `${n} SyncTargets over ${WORKSPACES} workspaces: all reconciled ${secs(kp.bulk.reconciledMs)} s after the first create (floor ${secs(floor.bulk.reconciledMs)} s, ${formatRatio(kp.bulk.reconciledMs, floor.bulk.reconciledMs)}), ${(kp.bulk.writes / TARGETS).toFixed(1)} writes/target, RSS ${mib(kp.bulk.rssBytes)} MiB (floor ${mib(floor.bulk.rssBytes)}); restart ready ${secs(kp.restart.readyMs)} s with ${kp.restart.writes} writes${kp.stale ? `; staleness p99 ${formatMs(kp.stale.stats.p99Ms)} ms past the threshold` : ''}`,
    targets,
    notes: [
      'reconciled = seen on a wildcard watch with status.syncerIdentity (ServiceAccount, ClusterRole, ClusterRoleBinding) and the conditions Valid, SyncerAuthorized, SyncerDeployed, Ready and HeartbeatHealthy',
      SPLIT
        ? `kplane ran \`kplane start --controllers -\` and beside it \`kplane controllers --kubeconfig admin.kubeconfig --heartbeat-threshold ${THRESHOLD_MS / 1000}s\` (two processes; RSS is their sum); the floor`
        : `kplane ran \`kplane start --heartbeat-threshold ${THRESHOLD_MS / 1000}s${KPLANE_ARGS.map((a) => ` ${a}`).join('')}\` (otherwise default: SQLite, controllers on their worker thread); the floor ran \`--controllers -\` and PATCHed status once per target right after its create`,
      'writes = storage revision after the controllers went idle minus before the first create; RSS = VmRSS of the kplane process and its descendants',
      `load average at the end: ${machineLine()}`,
      'restart: SIGTERM, then start on the same root dir; ready = spawn to the "kplane is ready" log line, idle = every workqueue empty and no revision change for 2 s',
    ],
    charts: [
      {
        title: `${n} SyncTargets, 16 clients`,
        unit: 's',
        groups: [
          { label: 'all reconciled', bars: [{ series: 'kplane', value: kp.bulk.reconciledMs / 1000 }, { series: 'floor', value: floor.bulk.reconciledMs / 1000 }, { series: 'target', value: 30 }] },
          { label: 'restart ready', bars: [{ series: 'kplane', value: kp.restart.readyMs / 1000 }, { series: 'floor', value: floor.restart.readyMs / 1000 }, { series: 'target', value: 5 }] },
        ],
      },
      { title: 'RSS after', unit: 'MiB', groups: [{ label: 'process tree', bars: [{ series: 'kplane', value: kp.bulk.rssBytes / 1048576 }, { series: 'floor', value: floor.bulk.rssBytes / 1048576 }, { series: 'target', value: 300 }] }] },
    ],
    data: { targets: TARGETS, workspaces: WORKSPACES, clients: CLIENTS, thresholdMs: THRESHOLD_MS, kplane: kp, floor },
  });
}

await main();
