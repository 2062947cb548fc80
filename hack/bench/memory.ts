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
import { ClusterClient, type SyncTarget } from '../../pkg/client/index.ts';
import { keyOf } from '../../pkg/informer/keys.ts';
import { waitFor, createSyncTargets, createWorkspaces, numberArg, progress, sleep, startKplane, workspaceNames, type Kplane } from './fixture.ts';
import { parseBenchArgs } from './lib.ts';
import { withInspector, type Inspector } from './inspector.ts';
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
  const { started, inspector } = await withInspector(() => startKplane({ args: WITH_CONTROLLERS ? ['--heartbeat-threshold', '60s'] : ['--controllers', '-'] }));
  await using kp = started;
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
