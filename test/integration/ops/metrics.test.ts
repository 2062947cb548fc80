// /metrics after a scripted workload: every promised family is there, labels stay bounded,
// promtool's lint passes, only privileged identities may scrape, and request logs carry no token.
// Twice: with the controllers on their worker thread (the default: their families come from the
// worker's registry, merged at each scrape) and on the server's event loop.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../../framework/eventually.ts';
import { TestClient } from '../../framework/http.ts';
import { type Kplane, startKplane } from '../../framework/kplane.ts';
import { promtoolCheckMetrics } from '../../../pkg/metrics/testing.ts';
import { adminClient, familySum, openWatch, sample, scrape, ST_PATH, syncTarget } from './support.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const VIEWER_TOKEN = 'viewer-token-0123456789abcdef';

for (const thread of ['true', 'false']) describe(`metrics (--controllers-thread=${thread})`, () => {
  let kp: Kplane;
  let text: string;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kplane-ops-'));
    const tokenFile = join(dir, 'tokens.csv');
    writeFileSync(tokenFile, `${VIEWER_TOKEN},viewer,viewer-uid,"system:authenticated"\n`);
    kp = await startKplane({ args: ['--token-auth-file', tokenFile, `--controllers-thread=${thread}`] });
    const admin = adminClient(kp);

    // The scripted workload: SyncTargets, a watch, reads, writes and a few errors.
    const watch = openWatch(kp, `${ST_PATH}?watch=1`);
    await watch.started;
    for (const name of ['edge-1', 'edge-2', 'edge-3']) assert.equal((await admin.post(ST_PATH, syncTarget(name))).status, 201);
    assert.equal((await admin.post(ST_PATH, syncTarget('edge-1'))).status, 409);
    assert.equal((await admin.get(`${ST_PATH}/missing`)).status, 404);
    assert.equal((await admin.post(ST_PATH, { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 'bad' }, spec: {} })).status, 422);
    assert.equal((await admin.get(ST_PATH)).status, 200);
    assert.equal((await admin.get('/clusters/root/apis/nope.example.com/v1/things-' + Date.now())).status, 404);
    assert.equal((await admin.withToken('not-a-token').get(ST_PATH)).status, 401);
    await eventually(() => [watch.events.length >= 3, `watch saw ${watch.events.length} events`]);

    // Controllers reconcile the targets (phase set) and their caches feed the SyncTarget gauges.
    await eventually(
      async () => {
        text = await scrape(kp);
        const open = sample(text, 'apiserver_registered_watchers{group="workload.kcp.io",resource="synctargets"}') ?? 0;
        const phased = familySum(text, 'kplane_synctargets') - (sample(text, 'kplane_synctargets{phase="Unknown"}') ?? 0);
        const reconciles = familySum(text, 'controller_runtime_reconcile_total');
        return [phased === 3 && open >= 1 && reconciles >= 3, `SyncTargets with a phase: ${phased}, open watches: ${open}, reconciles: ${reconciles}`];
      },
      { timeoutMs: 30_000, what: 'SyncTargets reconciled and visible in metrics' },
    );
    watch.abort();
  });

  after(async () => {
    await kp?.[Symbol.asyncDispose]();
  });

  test('every promised metric family is exposed', () => {
    const families = [
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
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_reconcile_time_seconds',
      'controller_runtime_active_workers',
      'kplane_informer_relists_total',
      'kplane_informer_watch_errors_total',
      'kplane_informer_watches_total',
      'kplane_synctargets',
      'kplane_synctargets_without_heartbeat',
      'kplane_synctarget_heartbeat_age_seconds',
      'kplane_idle_heap_collections_total',
      'kplane_idle_heap_collection_pause_seconds',
      'kplane_idle_heap_released_bytes_total',
      'kplane_thread_busy_seconds_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ];
    const missing = families.filter((f) => !new RegExp(`^# TYPE ${f} `, 'm').test(text));
    assert.deepEqual(missing, []);
  });

  test('the workload shows up with the right labels', () => {
    const st = (verb: string, code: number) => sample(text, `apiserver_request_total{verb="${verb}",group="workload.kcp.io",resource="synctargets",subresource="",code="${code}"}`) ?? 0;
    assert.ok(st('POST', 201) >= 3, 'creates');
    assert.ok(st('POST', 409) >= 1, 'conflict');
    assert.ok(st('POST', 422) >= 1, 'invalid');
    assert.ok(st('GET', 404) >= 1, 'not found');
    assert.ok(st('LIST', 401) >= 1, 'unauthorized');
    assert.ok((sample(text, 'apiserver_request_total{verb="LIST",group="",resource="unknown",subresource="",code="404"}') ?? 0) >= 1, 'unknown resources fold into one series');
    assert.ok((sample(text, 'kplane_storage_revision{backend="sqlite"}') ?? 0) > 0);
    assert.ok((sample(text, 'kplane_storage_operation_errors_total{operation="create",backend="sqlite",code="KeyExists"}') ?? 0) >= 1);
    assert.ok((sample(text, 'workqueue_adds_total{name="kplane-synctarget"}') ?? 0) >= 3);
    assert.ok(familySum(text, 'controller_runtime_reconcile_total') >= 3);
    assert.ok((sample(text, 'kplane_informer_relists_total{resource="synctargets.workload.kcp.io"}') ?? 0) >= 1);
    // Each thread reduces its own idle heap: the controllers' series comes from their worker.
    assert.notEqual(sample(text, 'kplane_idle_heap_collections_total{isolate="api-server",kind="minor"}'), undefined);
    if (thread === 'true') assert.notEqual(sample(text, 'kplane_idle_heap_collections_total{isolate="controllers",kind="minor"}'), undefined);
    // Each thread counts its own busy time: the server has served requests and (with the
    // worker) the controllers have reconciled, so both have run for some time, and no thread
    // can have run longer than the process has existed.
    const uptime = Date.now() / 1000 - (sample(text, 'process_start_time_seconds') ?? 0);
    const busy = (t: string) => sample(text, `kplane_thread_busy_seconds_total{thread="${t}"}`);
    assert.ok((busy('api-server') ?? 0) > 0, 'the API server thread has run');
    assert.ok((busy('api-server') ?? 0) <= uptime, 'busy time within the process lifetime');
    if (thread === 'true') assert.ok((busy('controllers') ?? 0) > 0, 'the controllers thread has run');
    else assert.equal(busy('controllers'), undefined, 'no controllers thread without one');
  });

  test('labels are bounded: no cluster, name, namespace or user labels anywhere', () => {
    for (const line of text.split('\n')) {
      if (line.startsWith('#') || !line.includes('{')) continue;
      assert.doesNotMatch(line, /(cluster|name|namespace|user)="(root|edge-|missing|viewer|kplane-admin)/, line);
    }
    assert.doesNotMatch(text, /things-\d+/, 'a requested resource name never becomes a label value');
  });

  test('promtool check metrics passes', () => {
    const lint = promtoolCheckMetrics(text);
    assert.ok(lint.ok, `promtool check metrics:\n${lint.output}`);
  });

  test('/metrics needs authentication and RBAC (system:masters may, others may not, tenants never)', async () => {
    const anonymous = new TestClient(kp.url, kp.caPem);
    assert.equal((await anonymous.get('/metrics')).status, 401);
    assert.equal((await anonymous.withToken(VIEWER_TOKEN).get('/metrics')).status, 403);
    const ok = await adminClient(kp).get('/metrics');
    assert.equal(ok.status, 200);
    assert.match(String(ok.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.equal((await adminClient(kp).get('/clusters/root:nope/metrics')).status, 404, 'never through a tenant path');

    // docs/operations.md: a ClusterRole for the /metrics URL bound in root lets a scraper in.
    const rbac = '/clusters/root/apis/rbac.authorization.k8s.io/v1';
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'metrics-reader' }, rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }] };
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'viewer-metrics-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'metrics-reader' },
      subjects: [{ kind: 'User', name: 'viewer' }],
    };
    assert.equal((await adminClient(kp).post(`${rbac}/clusterroles`, role)).status, 201);
    assert.equal((await adminClient(kp).post(`${rbac}/clusterrolebindings`, binding)).status, 201);
    await eventually(async () => {
      const r = await anonymous.withToken(VIEWER_TOKEN).get('/metrics');
      return [r.status === 200, `viewer got ${r.status}`];
    }, { what: 'the bound scraper to read /metrics' });
  });

  test('one log line per request with user, verb, path, code and latency, and never a token', () => {
    const lines = kp.logs.filter((l) => l.message === 'request');
    const create = lines.find((l) => l.verb === 'create' && l.code === 201 && String(l.path).endsWith('/synctargets'));
    assert.ok(create, 'a create was logged');
    assert.equal(create.user, 'kplane-admin');
    assert.equal(typeof create.latencyMs, 'number');
    assert.ok(lines.some((l) => l.code === 401 && l.user === 'system:anonymous'));
    const all = JSON.stringify(kp.logs);
    assert.ok(kp.adminToken.length > 10);
    assert.ok(!all.includes(kp.adminToken), 'the admin token never appears in the logs');
    assert.ok(!all.includes(VIEWER_TOKEN), 'static tokens never appear in the logs');
    assert.ok(!all.includes('not-a-token'), 'rejected tokens never appear in the logs');
  });
});
