// Server memory per SyncTarget (docs/design.md §11: ≤ 4 KiB of server heap per SyncTarget).
// kplane runs as a child process (`--controllers -`: the API server, storage and watch
// cache only), and SyncTargets are added in steps. After each step the server is left idle
// and sampled for a few seconds:
//   - heap: through the server's inspector (started with --inspect on a loopback port, via
//     NODE_OPTIONS for the child only): HeapProfiler.collectGarbage, then
//     Runtime.getHeapUsage — the live heap after a full collection, nothing added to kplane.
//   - RSS: VmRSS of the kplane process from /proc/<pid>/status (includes SQLite's page cache).
// Per-SyncTarget figures are (value at N − value before the first SyncTarget) / N.
// Baseline in the same run: the heap one parsed SyncTarget (as the server returns it) costs
// when held in a Map in this process, measured with gc() (npm run bench passes --expose-gc).
//   npm run bench -- memory [--quick] [--n 10000] [--with-controllers]
import { readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { ClusterClient, type SyncTarget } from '../../pkg/client/index.ts';
import { keyOf } from '../../pkg/informer/keys.ts';
import { waitFor, createSyncTargets, createWorkspaces, numberArg, progress, sleep, startKplane, workspaceNames, type Kplane } from './fixture.ts';
import { parseBenchArgs } from './lib.ts';
import { checkTarget, finishReport, machineLine } from './report.ts';

const { quick } = parseBenchArgs();
const TARGETS = numberArg('n', quick ? 2_000 : 10_000);
const STEPS = quick ? 2 : 5;
const WORKSPACES = numberArg('workspaces', quick ? 20 : 100);
/** `--with-controllers`: kplane's default (controllers in-process), waiting for every target to be reconciled before sampling. */
const WITH_CONTROLLERS = process.argv.includes('--with-controllers');
const SETTLE_MS = quick ? 500 : 1_000;

const gc = (globalThis as { gc?: () => void }).gc;

function vmRssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/** A free loopback port for the server's inspector. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * The kplane child's inspector (Chrome DevTools Protocol over WebSocket): collect garbage,
 * then read the used heap. Exact live heap, with no code inside the server for it.
 */
class Inspector {
  private readonly ws: WebSocket;
  private nextId = 1;
  private readonly waiting = new Map<number, (result: Record<string, unknown>) => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; result?: Record<string, unknown> };
      if (msg.id !== undefined) this.waiting.get(msg.id)?.(msg.result ?? {});
    });
  }

  static async connect(port: number): Promise<Inspector> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve, { once: true });
      ws.addEventListener('error', reject, { once: true });
    });
    return new Inspector(ws);
  }

  call(method: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method }));
    });
  }

  async liveHeapBytes(): Promise<number> {
    await this.call('HeapProfiler.collectGarbage');
    await this.call('HeapProfiler.collectGarbage');
    return Number((await this.call('Runtime.getHeapUsage'))['usedSize']);
  }

  close(): void {
    this.ws.close();
  }
}

interface Sample {
  targets: number;
  heapBytes: number;
  rssBytes: number;
}

async function sample(kp: Kplane, inspector: Inspector, targets: number): Promise<Sample> {
  await sleep(SETTLE_MS); // let the write path and watch cache go quiet
  const heapBytes = await inspector.liveHeapBytes();
  return { targets, heapBytes, rssBytes: vmRssBytes(kp.process.pid!) };
}

/** Heap of the listed SyncTargets held in a Map keyed like an informer's cache, in this process. */
async function bareHeapPerObject(client: ClusterClient): Promise<number> {
  const collect = () => {
    gc?.();
    gc?.();
    return process.memoryUsage().heapUsed;
  };
  const before = collect();
  const map = new Map<string, SyncTarget>();
  for (const st of (await client.wildcard().syncTargets().listAll()).items) map.set(keyOf(st), st);
  return (collect() - before) / map.size;
}

async function waitReconciled(client: ClusterClient, want: number): Promise<void> {
  await waitFor(
    `${want} SyncTargets reconciled`,
    async () => {
      const items = (await client.wildcard().syncTargets().listAll()).items;
      const done = items.filter((st) => st.status?.phase).length;
      return [items.length >= want && done === items.length, `${done}/${want} with a phase`];
    },
    900_000,
    1000,
  );
}

const mib = (b: number) => (b / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  console.log(`memory benchmark (${quick ? 'quick' : 'full'}${WITH_CONTROLLERS ? ', controllers in-process' : ', --controllers -'}; ${TARGETS.toLocaleString('en-US')} SyncTargets over ${WORKSPACES} workspaces in ${STEPS} steps; ${machineLine()})`);
  const inspectPort = await freePort();
  const saved = process.env['NODE_OPTIONS'];
  process.env['NODE_OPTIONS'] = `${saved ?? ''} --inspect=127.0.0.1:${inspectPort}`.trim();
  await using kp = await startKplane({ args: WITH_CONTROLLERS ? ['--heartbeat-threshold', '60s'] : ['--controllers', '-'] });
  if (saved === undefined) delete process.env['NODE_OPTIONS'];
  else process.env['NODE_OPTIONS'] = saved;
  const inspector = await Inspector.connect(inspectPort);
  const client = ClusterClient.fromFile(kp.kubeconfig, { component: 'bench-memory' });
  const clusters = await createWorkspaces(client, workspaceNames(WORKSPACES));
  const samples: Sample[] = [await sample(kp, inspector, 0)];
  progress(`0 SyncTargets: heap ${mib(samples[0]!.heapBytes)} MiB, RSS ${mib(samples[0]!.rssBytes)} MiB`);
  const step = Math.ceil(TARGETS / STEPS);
  for (let have = 0; have < TARGETS; ) {
    const add = Math.min(step, TARGETS - have);
    await createSyncTargets(client, clusters, add, 32, have);
    have += add;
    if (WITH_CONTROLLERS) await waitReconciled(client, have);
    const s = await sample(kp, inspector, have);
    samples.push(s);
    progress(`${have} SyncTargets: heap ${mib(s.heapBytes)} MiB, RSS ${mib(s.rssBytes)} MiB`);
  }
  const bare = await bareHeapPerObject(client);
  client.close();
  inspector.close();

  const base = samples[0]!;
  const last = samples[samples.length - 1]!;
  const heapPer = (last.heapBytes - base.heapBytes) / last.targets;
  const rssPer = (last.rssBytes - base.rssBytes) / last.targets;
  const n = TARGETS.toLocaleString('en-US');
  const target = checkTarget(`server heap per SyncTarget at ${n}`, '≤ 4 KiB (4,096 B)', heapPer, 4096, 'B');
  finishReport({
    bench: WITH_CONTROLLERS ? 'memory-controllers' : 'memory',
    quick,
    table: {
      headers: ['SyncTargets', 'server heap MiB', 'server RSS MiB', 'heap B/target', 'RSS B/target', 'bare Map B/object'],
      rows: samples.map((s) => [
        s.targets,
        mib(s.heapBytes),
        mib(s.rssBytes),
        s.targets ? ((s.heapBytes - base.heapBytes) / s.targets).toFixed(0) : '-',
        s.targets ? ((s.rssBytes - base.rssBytes) / s.targets).toFixed(0) : '-',
        s === last ? bare.toFixed(0) : '-',
      ]),
    },
    summary: `kplane server heap ${heapPer.toFixed(0)} B per SyncTarget at ${n} (RSS ${rssPer.toFixed(0)} B); the same objects held in a bare Map cost ${bare.toFixed(0)} B each (${(heapPer / bare).toFixed(2)}x)`,
    targets: [TARGETS < 10_000 ? { ...target, note: `measured at N=${n}` } : target],
    notes: [
      'server heap = used V8 heap after a full GC, read through the kplane process inspector (CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage)',
      WITH_CONTROLLERS
        ? 'kplane ran with its controllers in-process (the default): heap includes their informer caches (SyncTargets, syncer ServiceAccounts, ClusterRoles, ClusterRoleBindings, token Secrets) and queue state; sampled after every target was reconciled'
        : 'kplane ran with --controllers - (API server, storage, watch cache only); --with-controllers measures the default, controllers in-process',
      'RSS includes SQLite page cache and V8 heap headroom',
    ],
    charts: [
      {
        title: `memory per SyncTarget at ${n}`,
        unit: 'bytes',
        groups: [{ label: 'per SyncTarget', bars: [{ series: 'kplane heap', value: heapPer }, { series: 'bare Map (this process)', value: bare }, { series: 'kplane RSS', value: rssPer }, { series: '§11 target', value: 4096 }] }],
      },
    ],
    data: { workspaces: WORKSPACES, targets: TARGETS, samples, heapPerTarget: heapPer, rssPerTarget: rssPer, bareHeapPerObject: bare },
  });
}

await main();
