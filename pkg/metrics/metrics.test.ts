import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Storage, StoredObject, Watcher, WatchEvent } from '../storage/interface.ts';
import { StorageError } from '../storage/errors.ts';
import type { RequestInfo } from '../server/request/requestinfo.ts';
import { exposition, newKplaneMetrics, newMetricsRegistry, PromQueueMetricsProvider, registerSyncTargetMetrics } from './index.ts';
import { promtoolCheckMetrics } from './testing.ts';

const resourceInfo = (over: Partial<RequestInfo & { isResourceRequest: true }>): RequestInfo => ({
  isResourceRequest: true,
  cluster: 'root',
  wildcard: false,
  path: '/apis/workload.kcp.io/v1alpha1/synctargets',
  verb: 'list',
  apiPrefix: 'apis',
  group: 'workload.kcp.io',
  version: 'v1alpha1',
  namespace: '',
  resource: 'synctargets',
  name: '',
  subresource: '',
  ...over,
});

/** A storage fake: enough for the wrapper to time calls and count errors. */
function fakeStorage(): Storage {
  const events: WatchEvent[] = [{ type: 'ADDED', key: '/k', object: {}, revision: 8 }];
  return {
    name: 'fake',
    create: async (_k, o: StoredObject) => o,
    get: async (k) => {
      throw new StorageError('KeyNotFound', k);
    },
    list: async () => ({ items: [], revision: 7 }),
    update: async (_k, o) => o,
    guaranteedUpdate: async (_k, f) => (await f({})) ?? {},
    delete: async () => ({}),
    watch: async (): Promise<Watcher> => ({
      close() {},
      async *[Symbol.asyncIterator]() {
        yield* events;
      },
    }),
    currentRevision: async () => 42,
    compactedRevision: async () => 3,
    compact: async () => undefined,
    close: async () => undefined,
  };
}

async function scrape(m: ReturnType<typeof newKplaneMetrics>): Promise<string> {
  return m.registry.metrics();
}

describe('kplane metrics', () => {
  test('every family is exposed with client-go / controller-runtime / kube names and passes promtool', async () => {
    const m = newKplaneMetrics([{ group: 'workload.kcp.io', plural: 'synctargets' }]);
    const end = m.apiserver.begin(resourceInfo({}), 'GET');
    end(200);
    const storage = m.storage.wrap(fakeStorage());
    await storage.create('/k', {});
    await assert.rejects(storage.get('/k'));
    const w = await storage.watch('/', 0);
    for await (const _ of w) break;
    const depth = m.queue.newDepthMetric('synctarget');
    depth.inc();
    m.queue.newAddsMetric('synctarget').inc();
    m.queue.newLatencyMetric('synctarget').observe(0.001);
    m.queue.newWorkDurationMetric('synctarget').observe(0.002);
    m.queue.newUnfinishedWorkSecondsMetric('synctarget').set(0);
    m.queue.newLongestRunningProcessorSecondsMetric('synctarget').set(0);
    m.queue.newRetriesMetric('synctarget').inc();
    m.controller.setMaxConcurrentReconciles('synctarget', 4);
    m.controller.incReconcileTotal('synctarget', 'success');
    m.controller.observeReconcileTime('synctarget', 0.01);
    m.informer.relist('synctargets');
    m.informer.watchStarted('synctargets');
    m.informer.watchError('synctargets', 'something odd');
    m.informer.event('synctargets', 'ADDED');
    registerSyncTargetMetrics(m.registry, () => ({
      list: () => [
        { metadata: { name: 'a' }, status: { phase: 'Ready', lastSyncerHeartbeatTime: new Date(Date.now() - 5000).toISOString() } },
        { metadata: { name: 'b' }, status: { phase: 'Pending' } },
      ],
    }));

    const text = await scrape(m);
    for (const family of [
      'apiserver_request_total',
      'apiserver_request_duration_seconds',
      'apiserver_current_inflight_requests',
      'apiserver_registered_watchers',
      'kplane_connections_closed_total',
      'kplane_storage_operation_duration_seconds',
      'kplane_storage_operation_errors_total',
      'kplane_storage_revision',
      'kplane_storage_watchers',
      'workqueue_depth',
      'workqueue_adds_total',
      'workqueue_retries_total',
      'workqueue_queue_duration_seconds',
      'workqueue_work_duration_seconds',
      'workqueue_unfinished_work_seconds',
      'workqueue_longest_running_processor_seconds',
      'controller_runtime_reconcile_total',
      'controller_runtime_reconcile_time_seconds',
      'kplane_informer_relists_total',
      'kplane_informer_watch_errors_total',
      'kplane_synctargets',
      'kplane_synctarget_heartbeat_age_seconds',
      'process_cpu_seconds_total',
      'nodejs_heap_size_used_bytes',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${family} `, 'm'), family);
    }
    assert.match(text, /^apiserver_request_total\{verb="LIST",group="workload.kcp.io",resource="synctargets",subresource="",code="200"\} 1$/m);
    assert.match(text, /^kplane_storage_revision\{backend="fake"\} 42$/m);
    assert.match(text, /^kplane_storage_operation_errors_total\{operation="get",backend="fake",code="KeyNotFound"\} 1$/m);
    assert.match(text, /^kplane_storage_watchers\{backend="fake"\} 0$/m, 'a finished watch is no longer counted');
    assert.match(text, /^kplane_synctargets\{phase="Ready"\} 1$/m);
    assert.match(text, /^kplane_synctargets\{phase="Pending"\} 1$/m);
    assert.match(text, /^kplane_synctargets_without_heartbeat 1$/m);
    assert.match(text, /^kplane_synctarget_heartbeat_age_seconds_bucket\{le="10"\} 1$/m);
    assert.match(text, /^kplane_informer_watch_errors_total\{resource="synctargets",reason="Other"\} 1$/m);
    assert.match(text, /^controller_runtime_reconcile_total\{controller="synctarget",result="requeue_after"\} 0$/m);

    const lint = promtoolCheckMetrics(text);
    assert.ok(lint.ok, lint.output);
  });

  test('request labels stay bounded: unknown resources, odd verbs and non-resource paths fold', () => {
    const m = newKplaneMetrics([{ group: 'workload.kcp.io', plural: 'synctargets' }], { processMetrics: false });
    assert.deepEqual(m.apiserver.labelsOf(resourceInfo({ resource: 'x-attacker-chosen-123' }), 'GET'), {
      verb: 'LIST',
      group: '',
      resource: 'unknown',
      subresource: '',
    });
    assert.deepEqual(m.apiserver.labelsOf(resourceInfo({ subresource: 'zzz' }), 'GET').subresource, 'other');
    assert.deepEqual(m.apiserver.labelsOf({ isResourceRequest: false, cluster: 'root', wildcard: false, path: '/whatever/abc', verb: 'get' }, 'BREW'), {
      verb: 'OTHER',
      group: '',
      resource: 'nonresource',
      subresource: '',
    });
    assert.equal(m.apiserver.labelsOf(undefined, 'GET').resource, 'nonresource');
  });

  test('inflight and watch gauges go up while a request runs and back down once it ends (once)', async () => {
    const m = newKplaneMetrics([{ group: 'workload.kcp.io', plural: 'synctargets' }], { processMetrics: false });
    const endWatch = m.apiserver.begin(resourceInfo({ verb: 'watch' }), 'GET');
    const endWrite = m.apiserver.begin(resourceInfo({ verb: 'create' }), 'POST');
    let text = await scrape(m);
    assert.match(text, /^apiserver_registered_watchers\{group="workload.kcp.io",resource="synctargets"\} 1$/m);
    assert.match(text, /^apiserver_current_inflight_requests\{request_kind="mutating"\} 1$/m);
    endWatch(200);
    endWatch(200);
    endWrite(201);
    text = await scrape(m);
    assert.match(text, /^apiserver_registered_watchers\{group="workload.kcp.io",resource="synctargets"\} 0$/m);
    assert.match(text, /^apiserver_current_inflight_requests\{request_kind="mutating"\} 0$/m);
    assert.match(text, /^apiserver_request_total\{verb="WATCH",group="workload.kcp.io",resource="synctargets",subresource="",code="200"\} 1$/m);
    assert.doesNotMatch(text, /apiserver_request_duration_seconds_count\{verb="WATCH"/, 'watches are long-running: no latency sample');
  });

  test('a closed storage does not break the scrape', async () => {
    const m = newKplaneMetrics([], { processMetrics: false });
    m.storage.wrap({ ...fakeStorage(), currentRevision: () => Promise.reject(new StorageError('Closed', '')) });
    const text = await scrape(m);
    assert.match(text, /# TYPE kplane_storage_revision gauge/);
  });

  test('another thread\'s registry merges into the exposition: one family per name, passes promtool', async () => {
    // The server's registry has the workqueue families too (unused while the controllers run on
    // their worker thread); the worker's snapshot carries the values.
    const m = newKplaneMetrics([{ group: 'workload.kcp.io', plural: 'synctargets' }], { processMetrics: false });
    const worker = newMetricsRegistry({ processMetrics: false });
    const queue = new PromQueueMetricsProvider(worker).newDepthMetric('kplane-synctarget');
    queue.inc();
    queue.inc();
    registerSyncTargetMetrics(worker, () => ({ list: () => [{ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 'a' }, status: { phase: 'Ready' } }] }));
    const { body } = await exposition(m.registry, [() => worker.getMetricsAsJSON()]);
    assert.equal(body.match(/^# TYPE workqueue_depth /gm)?.length, 1, 'one TYPE line per family');
    assert.match(body, /^workqueue_depth\{name="kplane-synctarget"\} 2$/m);
    assert.match(body, /^kplane_synctargets\{phase="Ready"\} 1$/m);
    assert.match(body, /^# TYPE apiserver_request_total counter$/m, 'the server\'s own families stay');
    const lint = promtoolCheckMetrics(body);
    assert.ok(lint.ok, lint.output);
  });
});
