// Shared informer benchmark (issue 4): against a started kplane holding N SyncTargets spread
// over W workspaces, measure
//   1. time until a wildcard SyncTarget informer has synced (paged list + indexing), side by
//      side with a raw `wildcard().syncTargets().listAll()` of the same objects;
//   2. heap bytes per cached object (global.gc before and after; needs --expose-gc, which
//      `npm run bench` passes), side by side with the raw listed items held in an array;
//   3. event latency from the start of a write to the handler, p50/p99, under an open-loop
//      writer at ~500 writes/s, with the informer and a plain raw watch loop consuming the
//      same events in the same process.
//   npm run bench -- informer [--quick]        (default N=10,000/W=100; quick N=1,000/W=10)
import { ClusterClient, SyncTargetGVR, type KubeObject, type SyncTarget } from '../../pkg/client/index.ts';
import { SharedInformerFactory } from '../../pkg/informer/index.ts';
import { silentLogger } from '../../pkg/log/logger.ts';
import { createSyncTargets, createWorkspaces, progress, sleep, startKplane, workspaceNames, type CreatedTarget } from './fixture.ts';
import { formatMs, formatRatio, parseBenchArgs, summarize, type LatencyStats } from './lib.ts';
import { finishReport, machineLine } from './report.ts';

const { quick } = parseBenchArgs();
const WORKSPACES = quick ? 10 : 100;
const TARGETS = quick ? 1_000 : 10_000;
const SYNC_ROUNDS = 3;
const WRITE_RATE = 500;
const WRITE_SECONDS = quick ? 3 : 10;
const SEQ_ANNOTATION = 'bench.kplane.io/seq';

const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function timeInformerSync(kubeconfig: string): Promise<number> {
  const client = ClusterClient.fromFile(kubeconfig, { component: 'bench-informer' });
  const stop = new AbortController();
  const factory = new SharedInformerFactory({ clusterClient: client, logger: silentLogger() });
  const inf = factory.forResource<SyncTarget>(SyncTargetGVR);
  const t0 = performance.now();
  factory.start(stop.signal);
  await factory.waitForCacheSync();
  const ms = performance.now() - t0;
  if (inf.indexer.list().length < TARGETS) throw new Error(`informer synced with ${inf.indexer.list().length} objects, want ${TARGETS}`);
  stop.abort();
  client.close();
  return ms;
}

async function timeRawList(kubeconfig: string): Promise<number> {
  const client = ClusterClient.fromFile(kubeconfig, { component: 'bench-informer-raw' });
  const t0 = performance.now();
  const list = await client.wildcard().syncTargets().listAll();
  const ms = performance.now() - t0;
  if (list.items.length < TARGETS) throw new Error(`raw list returned ${list.items.length}, want ${TARGETS}`);
  client.close();
  return ms;
}

/**
 * Heap retained by holding every listed object. Each side runs in its own function so that
 * nothing of one measurement (not even a suspended async frame's temporaries) is still
 * reachable during the other.
 */
async function rawHeapPerObject(kubeconfig: string): Promise<number> {
  const client = ClusterClient.fromFile(kubeconfig, { component: 'bench-informer-heap' });
  // Warm the client (TLS options, agent) so that its own allocations are not counted.
  await client.wildcard().syncTargets().list({ limit: 1 });
  const before = heapUsed();
  const list = await client.wildcard().syncTargets().listAll();
  const perObject = (heapUsed() - before) / list.items.length;
  client.close();
  return perObject;
}

async function informerHeapPerObject(kubeconfig: string): Promise<number> {
  const client = ClusterClient.fromFile(kubeconfig, { component: 'bench-informer-heap' });
  await client.wildcard().syncTargets().list({ limit: 1 });
  const stop = new AbortController();
  const factory = new SharedInformerFactory({ clusterClient: client, logger: silentLogger() });
  const before = heapUsed();
  const inf = factory.forResource<SyncTarget>(SyncTargetGVR);
  factory.start(stop.signal);
  await factory.waitForCacheSync();
  const perObject = (heapUsed() - before) / inf.indexer.list().length;
  stop.abort();
  client.close();
  return perObject;
}

interface LatencyResult {
  informer: LatencyStats;
  raw: LatencyStats;
  writes: number;
  writeErrors: number;
  offeredPerSecond: number;
}

/** Open-loop writer at WRITE_RATE; both consumers record write-start → handler latency by seq. */
async function eventLatency(kubeconfig: string, targets: readonly CreatedTarget[]): Promise<LatencyResult> {
  const consumerClient = ClusterClient.fromFile(kubeconfig, { component: 'bench-informer-latency' });
  const rawClient = ClusterClient.fromFile(kubeconfig, { component: 'bench-informer-rawwatch' });
  const writer = ClusterClient.fromFile(kubeconfig, { component: 'bench-informer-writer' });
  const stop = new AbortController();
  const sentAt = new Map<string, number>();
  const informerLat: number[] = [];
  const rawLat: number[] = [];
  const record = (obj: KubeObject, into: number[]) => {
    const seq = obj.metadata.annotations?.[SEQ_ANNOTATION];
    const t = seq === undefined ? undefined : sentAt.get(seq);
    if (t !== undefined) into.push(performance.now() - t);
  };

  const factory = new SharedInformerFactory({ clusterClient: consumerClient, logger: silentLogger() });
  const inf = factory.forResource<SyncTarget>(SyncTargetGVR);
  inf.addEventHandler({ onUpdate: (a, b) => a.metadata.resourceVersion !== b.metadata.resourceVersion && record(b, informerLat) });
  factory.start(stop.signal);
  await factory.waitForCacheSync();

  // Baseline: a plain list then watch loop, no cache, no indexes, no handler fan-out.
  const list = await rawClient.wildcard().syncTargets().list({ limit: 1 });
  const rawLoop = (async () => {
    try {
      for await (const ev of rawClient.wildcard().syncTargets().watch({ resourceVersion: list.metadata.resourceVersion ?? '', signal: stop.signal })) {
        if (ev.type === 'MODIFIED') record(ev.object, rawLat);
      }
    } catch (err) {
      if (!stop.signal.aborted) throw err;
    }
  })();
  await sleep(500); // both watches open

  let writes = 0;
  let writeErrors = 0;
  let inFlight = 0;
  const total = WRITE_RATE * WRITE_SECONDS;
  const tickMs = 10;
  const perTick = (WRITE_RATE * tickMs) / 1000;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let seq = 0; seq < total; ) {
    // Open loop: issue what the schedule says is due, whatever the latency of earlier writes.
    const due = Math.min(total, Math.floor(((performance.now() - t0) / tickMs) * perTick) + perTick);
    for (; seq < due; seq++) {
      if (inFlight >= 256) {
        writeErrors++; // dropped: the server cannot keep up with the offered rate
        continue;
      }
      const target = targets[(seq * 7919) % targets.length]!;
      const key = String(seq);
      inFlight++;
      sentAt.set(key, performance.now());
      pending.push(
        writer
          .cluster(target.cluster)
          .syncTargets()
          .patch(target.name, 'merge', { metadata: { annotations: { [SEQ_ANNOTATION]: key } } })
          .then(
            () => void writes++,
            () => void writeErrors++,
          )
          .finally(() => void inFlight--),
      );
    }
    await sleep(tickMs);
  }
  await Promise.all(pending);
  const elapsed = performance.now() - t0;
  await sleep(1000); // let the last events arrive
  stop.abort();
  await rawLoop;
  for (const c of [consumerClient, rawClient, writer]) c.close();
  return { informer: summarize(informerLat, elapsed), raw: summarize(rawLat, elapsed), writes, writeErrors, offeredPerSecond: (total * 1000) / elapsed };
}

async function main(): Promise<void> {
  console.log(`informer benchmark (${quick ? 'quick' : 'full'}; ${TARGETS.toLocaleString('en-US')} SyncTargets over ${WORKSPACES} workspaces; ${machineLine()}${gc ? '' : '; WITHOUT --expose-gc: heap figures are rough'})`);
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const admin = ClusterClient.fromFile(kp.kubeconfig, { component: 'bench-informer-setup' });
  const clusters = await createWorkspaces(admin, workspaceNames(WORKSPACES));
  let t = performance.now();
  const targets = await createSyncTargets(admin, clusters, TARGETS, 32);
  progress(`created ${targets.length} SyncTargets in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  admin.close();

  const informerMs: number[] = [];
  const rawMs: number[] = [];
  for (let r = 0; r < SYNC_ROUNDS; r++) {
    rawMs.push(await timeRawList(kp.kubeconfig));
    informerMs.push(await timeInformerSync(kp.kubeconfig));
  }
  progress(`sync: informer ${informerMs.map((x) => x.toFixed(0)).join('/')} ms, raw list ${rawMs.map((x) => x.toFixed(0)).join('/')} ms`);
  const heap = { informer: await informerHeapPerObject(kp.kubeconfig), raw: 0 };
  await sleep(200);
  heap.raw = await rawHeapPerObject(kp.kubeconfig);
  progress(`heap/object: informer ${heap.informer.toFixed(0)} B, raw ${heap.raw.toFixed(0)} B`);
  t = performance.now();
  const lat = await eventLatency(kp.kubeconfig, targets);
  progress(`latency phase ${((performance.now() - t) / 1000).toFixed(1)} s: ${lat.writes} writes, ${lat.writeErrors} failed/dropped`);

  const syncInformer = median(informerMs);
  const syncRaw = median(rawMs);
  finishReport({
    bench: 'informer',
    quick,
    table: {
      headers: ['measure', 'shared informer', 'raw list/watch', 'ratio'],
      rows: [
        [`list+sync ${TARGETS.toLocaleString('en-US')} objects, median of ${SYNC_ROUNDS} (ms)`, formatMs(syncInformer), formatMs(syncRaw), formatRatio(syncInformer, syncRaw)],
        ['heap bytes per object (B)', heap.informer.toFixed(0), heap.raw.toFixed(0), formatRatio(heap.informer, heap.raw)],
        [`event latency p50 @ ${lat.offeredPerSecond.toFixed(0)} writes/s (ms)`, formatMs(lat.informer.p50Ms), formatMs(lat.raw.p50Ms), formatRatio(lat.informer.p50Ms, lat.raw.p50Ms)],
        ['event latency p99 (ms)', formatMs(lat.informer.p99Ms), formatMs(lat.raw.p99Ms), formatRatio(lat.informer.p99Ms, lat.raw.p99Ms)],
        ['event latency max (ms)', formatMs(lat.informer.maxMs), formatMs(lat.raw.maxMs), formatRatio(lat.informer.maxMs, lat.raw.maxMs)],
        ['events received', lat.informer.count, lat.raw.count, '-'],
      ],
    },
    summary: `informer synced ${TARGETS.toLocaleString('en-US')} SyncTargets over ${WORKSPACES} workspaces in ${formatMs(syncInformer)} ms (raw list ${formatMs(syncRaw)} ms), ${heap.informer.toFixed(0)} B heap per cached object (raw ${heap.raw.toFixed(0)} B), event latency p50/p99 ${formatMs(lat.informer.p50Ms)}/${formatMs(lat.informer.p99Ms)} ms at ${lat.offeredPerSecond.toFixed(0)} writes/s (raw watch ${formatMs(lat.raw.p50Ms)}/${formatMs(lat.raw.p99Ms)} ms)`,
    // docs/design.md §11 has no informer-specific target; the closest is the cold-start budget.
    targets: [],
    notes: [
      'latency = from the start of the PATCH (client side) to the handler call: includes the write itself (fsync) and the watch delivery',
      'informer and raw watch consume the same writes at the same time in one process (they share its CPU)',
      `writes: ${lat.writes} ok, ${lat.writeErrors} failed or dropped (open loop, at most 256 in flight)`,
      'docs/design.md §11 sets no informer-specific target (the cold-start target is measured by the reconcile benchmark)',
    ],
    charts: [
      { title: `list+sync ${TARGETS.toLocaleString('en-US')} SyncTargets`, unit: 'ms', groups: [{ label: 'sync', bars: [{ series: 'shared informer', value: syncInformer }, { series: 'raw listAll', value: syncRaw }] }] },
      {
        title: `event latency at ${lat.offeredPerSecond.toFixed(0)} writes/s`,
        unit: 'ms',
        groups: [
          { label: 'p50', bars: [{ series: 'shared informer', value: lat.informer.p50Ms }, { series: 'raw watch', value: lat.raw.p50Ms }] },
          { label: 'p99', bars: [{ series: 'shared informer', value: lat.informer.p99Ms }, { series: 'raw watch', value: lat.raw.p99Ms }] },
        ],
      },
    ],
    data: { workspaces: WORKSPACES, targets: TARGETS, informerSyncMs: informerMs, rawListMs: rawMs, heap, latency: lat },
  });
}

await main();
