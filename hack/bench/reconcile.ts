// SyncTarget reconciler benchmark (issue 5, docs/design.md §11): kplane runs with --controllers -
// and the SyncTarget controller runs in this process (a ControllerManager, as
// `kplane controllers --kubeconfig` would), so its queue and counters are observable.
//   1. cold start: N SyncTargets already stored in W workspaces; start the controller; time
//      until every one has status.phase set and the queue is idle. Baseline in the same run: a
//      bare loop reading the same objects and writing one status PATCH each (the least any
//      reconciler must write), which says how much of the time is the storage/API floor.
//   2. writes per idle reconcile: resync every key and compare the storage revision (a
//      list's resourceVersion) before and after: must be 0.
//   3. staleness detection: give S targets one heartbeat each, stop; per target measure from
//      (beat acknowledged + threshold) to HeartbeatHealthy=False seen on a watch.
//   npm run bench -- reconcile [--quick] [--n 10000] [--workspaces 100]   (default N=2,000/W=100; quick 500/10)
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient } from '../../pkg/client/index.ts';
import { keyOf } from '../../pkg/informer/keys.ts';
import { silentLogger } from '../../pkg/log/logger.ts';
import { ControllerManager } from '../../pkg/reconciler/manager.ts';
import type { SyncTargetController } from '../../pkg/reconciler/workload/synctarget/controller.ts';
import { numberArg, createSyncTargets, createWorkspaces, pool, progress, sleep, startKplane, storageRevision, waitFor, workspaceNames, type CreatedTarget, type Kplane } from './fixture.ts';
import { formatMs, formatRatio, parseBenchArgs } from './lib.ts';
import { checkTarget, finishReport, machineLine, type TargetCheck } from './report.ts';
import { staleness } from './staleness.ts';

const { quick } = parseBenchArgs();
// The §11 size is 10,000; on a 2-core machine the cold start alone takes minutes there, so
// the default is smaller and `--n 10000` runs the full size.
const WORKSPACES = numberArg('workspaces', quick ? 10 : 100);
const TARGETS = numberArg('n', quick ? 500 : 2_000);
const THRESHOLD_MS = 5_000;
/** Generous: the run reports what it measured, but a stuck run must end. */
const COLD_START_TIMEOUT_MS = quick ? 120_000 : 600_000;

function startManager(kp: Kplane): { manager: ControllerManager; controller: SyncTargetController; stop: AbortController; done: Promise<void> } {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(kp.kubeconfig);
  const manager = new ControllerManager({
    kubeconfig,
    logger: silentLogger(),
    heartbeatThresholdMs: THRESHOLD_MS,
    kplaneURL: kp.url,
    caPem: kp.caPem,
    syncerImage: 'kplane/syncer:bench',
    controllers: '*',
  });
  const stop = new AbortController();
  const done = manager.run(stop.signal);
  return { manager, controller: manager.syncTargets!, stop, done };
}

/** Wait until the controller has nothing queued and has not reconciled for `quietMs`; returns when the last reconcile finished. */
async function waitIdle(controller: SyncTargetController, ready: () => boolean, timeoutMs: number, quietMs = 300): Promise<number> {
  let lastCount = -1;
  let lastChange = performance.now();
  await waitFor(
    'controller idle',
    () => {
      if (controller.reconciles !== lastCount) {
        lastCount = controller.reconciles;
        lastChange = performance.now();
      }
      const idle = controller.queue.len() === 0 && performance.now() - lastChange >= quietMs && ready();
      return [idle, `${controller.reconciles} reconciles, queue ${controller.queue.len()}`];
    },
    timeoutMs,
    20,
  );
  return lastChange;
}

interface ColdStart {
  ms: number;
  reconciles: number;
  writes: number;
}

async function coldStart(kp: Kplane, client: ClusterClient): Promise<ColdStart & { ctl: ReturnType<typeof startManager> }> {
  const rev0 = await storageRevision(client);
  const t0 = performance.now();
  const ctl = startManager(kp);
  const lister = () => ctl.controller.deps.listers.syncTargets;
  const allPhased = () => {
    const items = lister().list();
    return items.length >= TARGETS && items.every((st) => Boolean(st.status?.phase));
  };
  let lastReport = 0;
  const report = setInterval(() => {
    const phased = lister().list().filter((st) => st.status?.phase).length;
    if (phased !== lastReport) progress(`cold start: ${phased}/${TARGETS} with a phase, ${ctl.controller.reconciles} reconciles, queue ${ctl.controller.queue.len()}`);
    lastReport = phased;
  }, 5000);
  try {
    const end = await waitIdle(ctl.controller, allPhased, COLD_START_TIMEOUT_MS);
    return { ms: end - t0, reconciles: ctl.controller.reconciles, writes: (await storageRevision(client)) - rev0, ctl };
  } finally {
    clearInterval(report);
  }
}

/** The floor: read every object once and write one status PATCH each, 32 in flight. */
async function bareStatusLoop(client: ClusterClient, targets: readonly CreatedTarget[]): Promise<ColdStart> {
  const rev0 = await storageRevision(client);
  const t0 = performance.now();
  const list = await client.wildcard().syncTargets().listAll();
  const byKey = new Map(list.items.map((st) => [keyOf(st), st]));
  await pool(targets.length, 32, async (i) => {
    const t = targets[i]!;
    if (!byKey.has(`${t.cluster}|${t.name}`)) throw new Error(`bare loop: ${t.cluster}|${t.name} not listed`);
    await client.cluster(t.cluster).syncTargets().patchStatus(t.name, 'merge', { status: { phase: 'Pending' } });
  });
  return { ms: performance.now() - t0, reconciles: targets.length, writes: (await storageRevision(client)) - rev0 };
}

async function idleWrites(client: ClusterClient, controller: SyncTargetController): Promise<{ writes: number; reconciles: number }> {
  const rev0 = await storageRevision(client);
  const before = controller.reconciles;
  controller.resyncAll();
  await waitIdle(controller, () => controller.reconciles - before >= TARGETS, 300_000);
  await sleep(500); // anything written late would still show
  return { writes: (await storageRevision(client)) - rev0, reconciles: controller.reconciles - before };
}

async function main(): Promise<void> {
  console.log(`reconcile benchmark (${quick ? 'quick' : 'full'}; ${TARGETS.toLocaleString('en-US')} SyncTargets over ${WORKSPACES} workspaces; heartbeat threshold ${THRESHOLD_MS / 1000}s; ${machineLine()})`);
  const n = TARGETS.toLocaleString('en-US');
  // Two servers: the bare floor loop writes statuses, which would change what the controller sees.
  let bare: ColdStart;
  {
    await using kpBare = await startKplane({ args: ['--controllers', '-'] });
    const client = ClusterClient.fromFile(kpBare.kubeconfig, { component: 'bench-reconcile-bare' });
    const targets = await createSyncTargets(client, await createWorkspaces(client, workspaceNames(WORKSPACES)), TARGETS, 32);
    bare = await bareStatusLoop(client, targets);
    client.close();
    progress(`bare status loop: ${TARGETS} in ${(bare.ms / 1000).toFixed(1)} s, ${bare.writes} writes`);
  }

  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const client = ClusterClient.fromFile(kp.kubeconfig, { component: 'bench-reconcile' });
  const clusters = await createWorkspaces(client, workspaceNames(WORKSPACES));
  const t = performance.now();
  const targets = await createSyncTargets(client, clusters, TARGETS, 32);
  progress(`created ${targets.length} SyncTargets in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const cold = await coldStart(kp, client);
  progress(`cold start: ${(cold.ms / 1000).toFixed(1)} s, ${cold.reconciles} reconciles, ${cold.writes} writes`);
  const idle = await idleWrites(client, cold.ctl.controller);
  progress(`idle resync: ${idle.reconciles} reconciles, ${idle.writes} writes`);
  const stale = await staleness(client, targets, THRESHOLD_MS);
  progress(`staleness: p50 ${formatMs(stale.stats.p50Ms)} ms, p99 ${formatMs(stale.stats.p99Ms)} ms, ${stale.missed} not detected`);
  cold.ctl.stop.abort();
  await cold.ctl.done;
  client.close();

  const sizeNote = TARGETS < 10_000 ? `measured at N=${n}, not the §11 size of 10,000` : undefined;
  const targetsChecked: TargetCheck[] = [
    { ...checkTarget(`cold start, ${n} SyncTargets listed, reconciled, idle`, '≤ 10 s at 10,000', cold.ms / 1000, 10, 's'), ...(sizeNote ? { note: sizeNote } : {}) },
    checkTarget('writes per idle reconcile', '0', idle.writes / Math.max(1, idle.reconciles), 0, 'writes'),
    {
      ...checkTarget(`staleness detection p99 past the threshold, ${n} targets`, '≤ threshold + 1 s', stale.stats.p99Ms / 1000, 1, 's'),
      ...(stale.missed > 0 ? { met: false, note: `${stale.missed} never detected` } : sizeNote ? { note: sizeNote } : {}),
    },
  ];
  finishReport({
    bench: 'reconcile',
    quick,
    table: {
      headers: ['measure', 'SyncTarget controller', 'bare status loop', 'ratio'],
      rows: [
        [`cold start, ${n} targets to all-reconciled (s)`, (cold.ms / 1000).toFixed(2), (bare.ms / 1000).toFixed(2), formatRatio(cold.ms, bare.ms)],
        ['targets per second', Math.round((TARGETS * 1000) / cold.ms), Math.round((TARGETS * 1000) / bare.ms), formatRatio(bare.ms, cold.ms)],
        ['storage writes during cold start', cold.writes, bare.writes, formatRatio(cold.writes, bare.writes)],
        ['writes per target', (cold.writes / TARGETS).toFixed(1), (bare.writes / TARGETS).toFixed(1), '-'],
        ['reconciles during cold start', cold.reconciles, '-', '-'],
        [`writes in an idle resync of ${idle.reconciles} reconciles`, idle.writes, '-', '-'],
        [`staleness past threshold p50 (ms), ${THRESHOLD_MS / 1000}s threshold`, formatMs(stale.stats.p50Ms), '-', '-'],
        ['staleness past threshold p99 (ms)', formatMs(stale.stats.p99Ms), '-', '-'],
        ['staleness past threshold max (ms)', formatMs(stale.stats.maxMs), '-', '-'],
        ['stale targets not detected', stale.missed, '-', '-'],
      ],
    },
    summary: `cold start of ${n} SyncTargets in ${WORKSPACES} workspaces: ${(cold.ms / 1000).toFixed(1)} s (${(cold.writes / TARGETS).toFixed(1)} writes/target; bare 1-write loop ${(bare.ms / 1000).toFixed(1)} s); idle resync wrote ${idle.writes}; staleness detected p50/p99 ${formatMs(stale.stats.p50Ms)}/${formatMs(stale.stats.p99Ms)} ms past the ${THRESHOLD_MS / 1000}s threshold`,
    targets: targetsChecked,
    notes: [
      'cold start writes include the finalizer, the syncer identity (ServiceAccount, ClusterRole, ClusterRoleBinding, token Secret), the status and Events per target',
      `staleness: one beat per target sent with 32 in flight (${(stale.beatMs / 1000).toFixed(1)} s for all), latency measured from each beat's acknowledgement + threshold to the watch event with HeartbeatHealthy=False`,
      'the controllers run in the benchmark process with their default worker counts; kplane runs with --controllers -',
      ...(stale.missed > 0 ? [`staleness percentiles cover only the ${TARGETS - stale.missed} targets seen stale within ${THRESHOLD_MS / 1000 + 120} s; the rest were not detected in the run`] : []),
    ],
    charts: [
      { title: `cold start, ${n} SyncTargets`, unit: 's', groups: [{ label: 'to all reconciled', bars: [{ series: 'SyncTarget controller', value: cold.ms / 1000 }, { series: 'bare 1-write loop', value: bare.ms / 1000 }, { series: '§11 target', value: 10 }] }] },
      {
        title: `staleness detection past the threshold, ${n} targets`,
        unit: 'ms',
        groups: [{ label: 'p50 / p99 / target', bars: [{ series: 'p50', value: stale.stats.p50Ms }, { series: 'p99', value: stale.stats.p99Ms }, { series: '§11 target (+1 s)', value: 1000 }] }],
      },
    ],
    data: { workspaces: WORKSPACES, targets: TARGETS, thresholdMs: THRESHOLD_MS, cold: { ms: cold.ms, reconciles: cold.reconciles, writes: cold.writes }, bare, idle, staleness: stale },
  });
}

await main();
