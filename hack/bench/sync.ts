// Resource sync benchmark (issue 12): Deployments in namespaces placed on SyncTargets, synced by
// in-process kplane-syncer resource sync loops (one per SyncTarget, each through its SyncTarget's
// syncer view, with the admin identity, which the view admits as system:masters) from one
// kplane to a second kplane standing in for the physical cluster. Measures
//   1. create-to-downstream latency p50/p99 under an open-loop creator at 100 creates/s;
//   2. downstream-status-to-upstream latency p50/p99 (status written downstream at 100/s);
//   3. throughput of a burst of creates until all are downstream, side by side with a bare copy
//      loop (list+watch upstream, create downstream with @kubernetes/client-node, no scheduling,
//      no finalizer, no status) over the same number of objects in the same run;
//   4. heap per synced object (every syncer's informers on both sides included).
//   npm run bench -- sync [--quick]   (1,000 Deployments / 100 namespaces / 10 SyncTargets;
//                                      quick: 100 / 10 / 2)
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { stateLabelKey, toSyncTargetKey } from '../../apis/workload/v1alpha1/synctargetkey.ts';
import { ClusterClient, DeploymentGVR, NamespaceGVR, type KubeObject } from '../../pkg/client/index.ts';
import { realClock } from '../../pkg/clock/clock.ts';
import { silentLogger } from '../../pkg/log/logger.ts';
import { downstreamNamespaceName } from '../../pkg/syncer/shared/locator.ts';
import { runResourceSync } from '../../pkg/syncer/sync.ts';
import { pool, progress, sleep, startKplane, syncTargetObject, waitFor } from './fixture.ts';
import { formatMs, formatRatio, parseBenchArgs, summarize, type LatencyStats } from './lib.ts';
import { checkTarget, finishReport, machineLine } from './report.ts';

const { quick } = parseBenchArgs();
const TARGETS = quick ? 2 : 10;
const NAMESPACES = quick ? 10 : 100;
const DEPLOYMENTS = quick ? 100 : 1_000;
const RATE = 100;
const BURST_CONCURRENCY = 32;
const WS = 'root';

const gc = (globalThis as { gc?: () => void }).gc;
function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

function deployment(name: string, namespace: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name, ...labels } },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

/** Issue `total` calls of op(i) at `rate`/s regardless of how long earlier ones take. */
async function openLoop(total: number, rate: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const pending: Promise<unknown>[] = [];
  let errors = 0;
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(op(i).catch(() => errors++));
  }
  await Promise.all(pending);
  return errors;
}

/** Watch from now; call onEvent for each event until stopped. */
async function watchFrom(client: ReturnType<ClusterClient['plain']>, signal: AbortSignal, onEvent: (type: string, o: KubeObject) => void): Promise<void> {
  const list = await client.resource(DeploymentGVR).list({ limit: 1 });
  void (async () => {
    try {
      for await (const ev of client.resource(DeploymentGVR).watch({ resourceVersion: list.metadata.resourceVersion ?? '', signal })) onEvent(ev.type, ev.object);
    } catch (err) {
      if (!signal.aborted) throw err;
    }
  })();
  await sleep(300);
}

async function main(): Promise<void> {
  progress(`starting two kplanes (upstream, physical); ${DEPLOYMENTS} Deployments, ${NAMESPACES} namespaces, ${TARGETS} SyncTargets`);
  await using up = await startKplane({ args: ['--controllers', '-'] });
  // The baseline's @kubernetes/client-node (v2, undici fetch) keeps opening connections under a
  // burst; the physical kplane's per-address cap (1,024) would cut them, so it is raised here.
  await using phys = await startKplane({ args: ['--controllers', '-', '--max-connections-per-ip', '8192'] });
  const upClient = ClusterClient.fromFile(up.kubeconfig, { component: 'bench-sync-writer' });
  const downClient = ClusterClient.fromFile(phys.kubeconfig, { component: 'bench-sync-observer' });
  const upRoot = upClient.cluster(WS);
  const stop = new AbortController();

  const targets: { name: string; uid: string; key: string }[] = [];
  for (let i = 0; i < TARGETS; i++) {
    const st = await upRoot.syncTargets().create(syncTargetObject(i));
    targets.push({ name: st.metadata.name!, uid: st.metadata.uid!, key: toSyncTargetKey(WS, st.metadata.name!) });
  }
  // The bench plays the scheduler: namespace i on SyncTarget i mod TARGETS, labelled.
  const nsTarget = (n: number) => targets[n % TARGETS]!;
  const dnsOf = new Map<string, string>();
  await pool(NAMESPACES, 16, async (n) => {
    const t = nsTarget(n);
    await upRoot.namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}`, labels: { [stateLabelKey(t.key)]: 'Sync' } } });
    dnsOf.set(`ns-${n}`, downstreamNamespaceName({ syncTarget: { cluster: WS, name: t.name, uid: t.uid }, cluster: WS, namespace: `ns-${n}` }));
  });
  const upstreamOf = new Map([...dnsOf].map(([u, d]) => [d, u]));

  const heapBefore = heapUsed();
  const upstreamKubeconfig = new KubeConfig();
  upstreamKubeconfig.loadFromFile(up.kubeconfig);
  const physicalKubeconfig = new KubeConfig();
  physicalKubeconfig.loadFromFile(phys.kubeconfig);
  const syncers = targets.map((t) => runResourceSync({
    upstreamKubeconfig, upstreamView: 'view', downstreamKubeconfig: physicalKubeconfig,
    syncTarget: { cluster: WS, name: t.name, uid: t.uid }, resources: [{ group: 'apps', resource: 'deployments' }],
    logger: silentLogger(), clock: realClock, onHealth: () => {},
  }, stop.signal));
  await waitFor('every downstream namespace', async () => {
    const n = (await downClient.plain().resource(NamespaceGVR).list({ labelSelector: 'internal.workload.kcp.io/cluster' })).items.length;
    return [n === NAMESPACES, `${n}/${NAMESPACES}`];
  });

  // 1. create → downstream, open loop at RATE.
  progress(`1/3 creating ${DEPLOYMENTS} Deployments at ${RATE}/s`);
  const sentAt = new Map<string, number>();
  const downLatency: number[] = [];
  const statusLatency: number[] = [];
  const burstSeen = new Set<string>();
  const statusSentAt = new Map<string, number>();
  await watchFrom(downClient.plain(), stop.signal, (type, o) => {
    const k = `${upstreamOf.get(o.metadata.namespace ?? '') ?? o.metadata.namespace}/${o.metadata.name}`;
    if (type === 'ADDED') {
      const t = sentAt.get(k);
      if (t !== undefined) downLatency.push(performance.now() - t);
      burstSeen.add(k);
    }
  });
  // Upstream: every workspace's Deployments, for the status that comes back.
  const upList = await upClient.wildcard().resource(DeploymentGVR).list({ limit: 1 });
  void (async () => {
    try {
      for await (const ev of upClient.wildcard().resource(DeploymentGVR).watch({ resourceVersion: upList.metadata.resourceVersion ?? '', signal: stop.signal })) {
        const k = `${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
        const t = statusSentAt.get(k);
        if (t !== undefined && (ev.object.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1) {
          statusLatency.push(performance.now() - t);
          statusSentAt.delete(k);
        }
      }
    } catch (err) {
      if (!stop.signal.aborted) throw err;
    }
  })();
  const name = (i: number) => ({ ns: `ns-${i % NAMESPACES}`, name: `d-${i}` });
  const createErrors = await openLoop(DEPLOYMENTS, RATE, async (i) => {
    const d = name(i);
    sentAt.set(`${d.ns}/${d.name}`, performance.now());
    await upRoot.resource(DeploymentGVR, d.ns).create(deployment(d.name, d.ns, { [stateLabelKey(nsTarget(i % NAMESPACES).key)]: 'Sync' }));
  });
  await waitFor('every Deployment downstream', () => [downLatency.length >= DEPLOYMENTS - createErrors, `${downLatency.length}/${DEPLOYMENTS}`], 300_000);
  const create = summarize(downLatency, 0);

  // 2. downstream status → upstream, open loop at RATE.
  progress(`2/3 writing ${DEPLOYMENTS} statuses downstream at ${RATE}/s`);
  const statusErrors = await openLoop(DEPLOYMENTS, RATE, async (i) => {
    const d = name(i);
    statusSentAt.set(`${d.ns}/${d.name}`, performance.now());
    await downClient.plain().resource(DeploymentGVR, dnsOf.get(d.ns)!).patchStatus(d.name, 'merge', { status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 } });
  });
  await waitFor('every status upstream', () => [statusLatency.length >= DEPLOYMENTS - statusErrors, `${statusLatency.length}/${DEPLOYMENTS}`], 300_000);
  const status = summarize(statusLatency, 0);
  const heapPerObject = (heapUsed() - heapBefore) / (DEPLOYMENTS + NAMESPACES);

  // 3a. burst through the syncers.
  progress(`3/3 burst of ${DEPLOYMENTS} creates: syncers, then the bare copy loop`);
  burstSeen.clear();
  const t0 = performance.now();
  await pool(DEPLOYMENTS, BURST_CONCURRENCY, (i) => {
    const d = name(i);
    return upRoot.resource(DeploymentGVR, d.ns).create(deployment(`b-${i}`, d.ns, { [stateLabelKey(nsTarget(i % NAMESPACES).key)]: 'Sync' }));
  });
  await waitFor('the burst downstream', () => [[...burstSeen].filter((k) => k.includes('/b-')).length >= DEPLOYMENTS, `${burstSeen.size}`], 300_000, 20);
  const syncMs = performance.now() - t0;
  stop.abort();
  await Promise.allSettled(syncers);

  // 3b. bare copy loop: list+watch one upstream namespace, create each object downstream.
  await upRoot.namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bare-src' } });
  await downClient.plain().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bare-dst' } });
  const apps = physicalKubeconfig.makeApiClient(AppsV1Api);
  const bareStop = new AbortController();
  let copied = 0;
  const src = upRoot.resource(DeploymentGVR, 'bare-src');
  const first = await src.list();
  // The watch hands objects to BURST_CONCURRENCY copiers (the same bound as the creators; an
  // unbounded fan-out of creates gets connections cut by the server's connection caps).
  const toCopy: KubeObject[] = [];
  let wake: (() => void) | undefined;
  void (async () => {
    try {
      for await (const ev of src.watch({ resourceVersion: first.metadata.resourceVersion ?? '', signal: bareStop.signal })) {
        if (ev.type !== 'ADDED') continue;
        toCopy.push(ev.object);
        wake?.();
      }
    } catch (err) {
      if (!bareStop.signal.aborted) throw err;
    }
  })();
  const copiers = Array.from({ length: BURST_CONCURRENCY }, async () => {
    while (!bareStop.signal.aborted) {
      const o = toCopy.shift();
      if (!o) {
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
        continue;
      }
      for (let attempt = 0; ; attempt++) {
        try {
          await apps.createNamespacedDeployment({ namespace: 'bare-dst', body: { metadata: { name: o.metadata.name!, labels: o.metadata.labels! }, spec: o.spec as never } });
          copied++;
          break;
        } catch (err) {
          if (attempt >= 5) throw err;
          await sleep(100 * 2 ** attempt);
        }
      }
    }
  });
  await sleep(300);
  const t1 = performance.now();
  await pool(DEPLOYMENTS, BURST_CONCURRENCY, (i) => src.create(deployment(`b-${i}`, 'bare-src')));
  await waitFor('the bare copies', () => [copied >= DEPLOYMENTS, `${copied}/${DEPLOYMENTS}`], 300_000, 20);
  const bareMs = performance.now() - t1;
  bareStop.abort();
  await Promise.allSettled(copiers);
  upClient.close();
  downClient.close();

  const syncRate = (DEPLOYMENTS * 1000) / syncMs;
  const bareRate = (DEPLOYMENTS * 1000) / bareMs;
  const row = (what: string, s: LatencyStats) => [what, s.count, formatMs(s.p50Ms), formatMs(s.p99Ms), formatMs(s.maxMs)];
  finishReport({
    bench: 'sync',
    quick,
    table: {
      headers: ['measure', 'n', 'p50 ms', 'p99 ms', 'max ms'],
      rows: [row(`create → downstream (${RATE}/s)`, create), row(`downstream status → upstream (${RATE}/s)`, status)],
    },
    summary: `create→downstream p99 ${formatMs(create.p99Ms)} ms, status→upstream p99 ${formatMs(status.p99Ms)} ms at ${RATE}/s; burst ${syncRate.toFixed(0)}/s vs bare copy ${bareRate.toFixed(0)}/s (${formatRatio(syncRate, bareRate)}); heap ${(heapPerObject / 1024).toFixed(1)} KiB per synced object (${machineLine()})`,
    targets: [
      checkTarget('create → downstream p99 at 100 creates/s', '≤ 1 s', create.p99Ms / 1000, 1, 's'),
      checkTarget('downstream status → upstream p99 at 100/s', '≤ 1 s', status.p99Ms / 1000, 1, 's'),
      checkTarget('burst throughput vs bare copy loop', '≥ 0.5x', syncRate / bareRate, 0.5, 'x', true),
    ],
    charts: [
      { title: 'latency p99', unit: 'ms', groups: [{ label: 'create → downstream', bars: [{ series: 'p99', value: create.p99Ms }, { series: 'p50', value: create.p50Ms }] }, { label: 'status → upstream', bars: [{ series: 'p99', value: status.p99Ms }, { series: 'p50', value: status.p50Ms }] }] },
      { title: 'burst throughput', unit: 'objects/s', groups: [{ label: `${DEPLOYMENTS} Deployments`, bars: [{ series: 'kplane-syncer', value: syncRate }, { series: 'bare copy loop', value: bareRate }] }] },
    ],
    data: { create, status, syncMs, bareMs, syncRate, bareRate, heapPerObject, createErrors, statusErrors, targets: TARGETS, namespaces: NAMESPACES, deployments: DEPLOYMENTS },
    notes: [
      `${TARGETS} syncers run in this process (their informers on both sides are in the heap figure, with the bench's own watches), each through its SyncTarget's syncer view.`,
      'the bare loop copies one namespace with one watch and no ownership checks, finalizer, server-side apply or status; the syncers do all of that.',
    ],
  });
}

await main();
