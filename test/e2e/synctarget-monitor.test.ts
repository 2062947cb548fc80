// "A monitor that never lies", end to end against `kplane start` (controllers in-process):
//  - a real kplane-syncer whose clock is 5 minutes behind (or ahead), beating every second,
//    keeps its SyncTarget Ready for many thresholds, and still goes not Ready when stopped;
//  - a SyncTarget whose physical cluster is unreachable (its deploy failing, in backoff) is
//    declared not Ready on time when its beats stop: heartbeat monitoring runs on its own
//    controller and queue, so the deploy's error backoff cannot delay it;
//  - the controller's Secret cache holds only the Secrets SyncTargets use (label-selected), and
//    unlabelled ones it needs (admin-created, or from an older kplane) get labelled.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { silentLogger } from '../../pkg/log/logger.ts';
import { ControllerManager } from '../../pkg/reconciler/manager.ts';
import { eventually } from '../framework/eventually.ts';
import { type Kplane, startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { createWorkspace, kjson, SLOW, syncTargetYAML } from './support.ts';
import { kubeconfigForWorkspace, startSyncer } from './syncer-support.ts';

const THRESHOLD_S = 4;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- kubectl JSON output
type Obj = any;
interface Cond {
  type: string;
  status: string;
  reason?: string;
  lastTransitionTime?: string;
}
const cond = (st: Obj, type: string): Cond | undefined => (st?.status?.conditions as Cond[] | undefined)?.find((c) => c.type === type);

describe(`SyncTarget monitoring (threshold ${THRESHOLD_S}s)`, { timeout: 600_000 }, () => {
  let kp: Kplane;
  let dir: string;
  let root: Kubectl;
  let team: Kubectl;
  const file = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const getST = (name: string): Promise<Obj> => kjson(team, ['get', 'synctarget', name]);

  before(async () => {
    kp = await startKplane({ args: ['--heartbeat-threshold', `${THRESHOLD_S}s`] });
    dir = mkdtempSync(join(tmpdir(), 'kplane-monitor-e2e-'));
    root = new Kubectl(kp.kubeconfig);
    team = await createWorkspace(root, kp.url, dir, 'team');
  });
  after(async () => {
    await kp?.[Symbol.asyncDispose]();
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const k of [root, team]) if (k) rmSync(k.cacheDir, { recursive: true, force: true });
  });

  for (const [label, skewMs] of [['behind', -5 * 60_000], ['ahead', 5 * 60_000]] as const) {
    test(`a syncer whose clock is 5 minutes ${label} stays Ready while it beats, and is not Ready once it stops`, async () => {
      const name = `skew-${label}`;
      await team.ok(['create', '-f', file(`${name}.yaml`, syncTargetYAML(name, name))]);
      const syncer = startSyncer(
        [`--from-kubeconfig=${kubeconfigForWorkspace(kp.kubeconfig, kp.url, 'root:team', dir)}`, `--sync-target-name=${name}`, '--heartbeat-period=1s', '--log-format=json'],
        { KPLANE_SYNCER_TEST_CLOCK_SKEW_MS: String(skewMs) },
      );
      try {
        await team.ok(['wait', '--for=condition=Ready', `synctarget/${name}`, '--timeout=90s']);
        const ready = await getST(name);
        const readySince = cond(ready, 'Ready')!.lastTransitionTime;
        // The beats really carry the skewed clock (within a minute of now + skew).
        const claimed = Date.parse(ready.status.lastSyncerHeartbeatTime);
        assert.ok(Math.abs(claimed - (Date.now() + skewMs)) < 60_000, `beat ${ready.status.lastSyncerHeartbeatTime} is ~5 min ${label}`);

        // Watch the beats go by: twice the threshold's worth of distinct values (one a second),
        // and Ready never drops meanwhile.
        const beats = new Set<string>();
        const notReady: string[] = [];
        await eventually(async () => {
          const st = await getST(name);
          beats.add(st.status.lastSyncerHeartbeatTime);
          if (cond(st, 'Ready')?.status !== 'True') notReady.push(JSON.stringify(st.status.conditions));
          return [beats.size >= 2 * THRESHOLD_S + 1, `${beats.size} distinct beats`];
        }, { ...SLOW, what: `${2 * THRESHOLD_S + 1} beats from the ${label} syncer` });
        assert.deepEqual(notReady, [], 'Ready while beating');
        const still = await getST(name);
        assert.equal(cond(still, 'Ready')?.status, 'True');
        assert.equal(cond(still, 'Ready')?.lastTransitionTime, readySince, 'Ready never flipped in between');
      } finally {
        await syncer.stop();
      }
      // Silence: the skewed timestamps earn no credit either way.
      await eventually(async () => {
        const st = await getST(name);
        return [cond(st, 'HeartbeatHealthy')?.status === 'False' && cond(st, 'Ready')?.status === 'False', JSON.stringify(st.status.conditions)];
      }, { ...SLOW, what: `${name} not Ready after its syncer stopped` });
    });
  }

  test('an unreachable physical cluster (deploy failing, in backoff) does not delay staleness', async () => {
    const kubeconfig = [
      'apiVersion: v1', 'kind: Config', 'current-context: c',
      'clusters: [{name: p, cluster: {server: "https://127.0.0.1:1"}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: c, context: {cluster: p, user: u}}]',
    ].join('\n');
    await team.ok(['create', 'secret', 'generic', 'down-kubeconfig', '-n', 'default', `--from-file=kubeconfig=${file('down.kc', kubeconfig)}`]);
    await team.ok(['create', '-f', file('down.yaml', syncTargetYAML('down', 'down') + '  kubeconfigSecretRef:\n    namespace: default\n    name: down-kubeconfig\n')]);
    await eventually(async () => {
      const st = await getST('down');
      return [cond(st, 'SyncerDeployed')?.reason === 'PhysicalClusterUnreachable', JSON.stringify(st.status?.conditions)];
    }, { ...SLOW, what: 'deploy failing against the unreachable cluster' });

    // Beat once a second for a while, each beat acknowledged: every beat wakes the SyncTarget
    // controller, whose deploy fails again, so that key's error backoff (5 ms doubling per
    // failure) is minutes long by the last beat. A heartbeat check riding on that controller's
    // queue would be that late; the heartbeat controller's own queue is not.
    const beat = async () => {
      const ts = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await team.ok(['patch', 'synctarget', 'down', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { lastSyncerHeartbeatTime: ts } })]);
      return ts;
    };
    let last = '';
    for (let i = 0; i < 16; i++) {
      const prev = last;
      // A new value each time: wait for the next second rather than sleeping a fixed time.
      await eventually(() => [new Date().toISOString().replace(/\.\d+Z$/, 'Z') !== prev, 'next second'], { timeoutMs: 5_000, intervalMs: 50 });
      last = await beat();
    }
    const ackedAt = Date.now();
    await eventually(async () => {
      const st = await getST('down');
      return [cond(st, 'HeartbeatHealthy')?.status === 'True', JSON.stringify(st.status?.conditions)];
    }, { ...SLOW, what: 'HeartbeatHealthy=True while beating' });

    // The syncer stops. HeartbeatHealthy (and Ready) turn False a threshold after the last beat.
    const stale = await (async () => {
      let st: Obj;
      await eventually(async () => {
        st = await getST('down');
        return [cond(st, 'HeartbeatHealthy')?.status === 'False', JSON.stringify(st.status?.conditions)];
      }, { ...SLOW, what: 'HeartbeatHealthy=False after the beats stopped' });
      return st;
    })();
    assert.equal(cond(stale, 'Ready')?.status, 'False');
    const flippedAt = Date.parse(cond(stale, 'HeartbeatHealthy')!.lastTransitionTime!);
    const lastBeat = Date.parse(last);
    // Transition times are truncated to seconds. Not early; and within threshold + a generous
    // slack of the acknowledged beat (an error backoff would be tens of seconds by now).
    assert.ok(flippedAt - lastBeat >= (THRESHOLD_S - 1) * 1000, `not before the threshold: ${flippedAt - lastBeat} ms`);
    assert.ok(flippedAt - ackedAt <= (THRESHOLD_S + 4) * 1000, `on time despite the failing deploy: ${flippedAt - ackedAt} ms after the last beat`);
    const fresh = await getST('down');
    assert.equal(cond(fresh, 'SyncerDeployed')?.reason, 'PhysicalClusterUnreachable', 'the deploy is still failing');
  });
});

describe('the SyncTarget controller caches only the Secrets it uses', { timeout: 600_000 }, () => {
  test('label-selected Secret informer; unlabelled Secrets it needs are labelled on first read (migration)', async () => {
    // The API server alone, and the controllers in this process so that their cache can be inspected.
    await using kp = await startKplane({ args: ['--controllers', '-'] });
    const dir = mkdtempSync(join(tmpdir(), 'kplane-secrets-e2e-'));
    const root = new Kubectl(kp.kubeconfig);
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromFile(kp.kubeconfig);
    const manager = new ControllerManager({ kubeconfig, logger: silentLogger(), heartbeatThresholdMs: 60_000, kplaneURL: kp.url, caPem: kp.caPem, syncerImage: 'kplane-syncer:e2e', controllers: '*' });
    const stop = new AbortController();
    const running = manager.run(stop.signal);
    try {
      const tenant = await createWorkspace(root, kp.url, dir, 'tenant');
      await tenant.ok(['create', 'secret', 'generic', 'private', '-n', 'default', '--from-literal=password=hunter2']);
      writeFileSync(join(dir, 'kc'), ['apiVersion: v1', 'kind: Config', 'current-context: c', 'clusters: [{name: p, cluster: {server: "https://127.0.0.1:1"}}]', 'users: [{name: u, user: {token: t}}]', 'contexts: [{name: c, context: {cluster: p, user: u}}]'].join('\n'));
      await tenant.ok(['create', 'secret', 'generic', 'phys', '-n', 'default', `--from-file=kubeconfig=${join(dir, 'kc')}`]);
      writeFileSync(join(dir, 'st.yaml'), syncTargetYAML('edge', 'edge') + '  kubeconfigSecretRef:\n    namespace: default\n    name: phys\n');
      await tenant.ok(['create', '-f', join(dir, 'st.yaml')]);
      let st: Obj;
      await eventually(async () => {
        st = await kjson(tenant, ['get', 'synctarget', 'edge']);
        return [cond(st, 'Valid')?.status === 'True' && cond(st, 'SyncerAuthorized')?.status === 'True', JSON.stringify(st.status?.conditions)];
      }, { ...SLOW, what: 'edge Valid and SyncerAuthorized' });
      const tokenSecret = st.status.syncerIdentity.tokenSecret as string;
      const cached = () => manager.syncTargets!.deps.listers.secrets.list().map((s) => s.metadata.name).sort();
      await eventually(() => [JSON.stringify(cached()) === JSON.stringify(['phys', tokenSecret].sort()), `cached: ${cached().join(',')}`], { ...SLOW, what: 'cache = the two Secrets the SyncTarget uses' });
      assert.ok(!cached().includes('private'), 'a tenant Secret the controller does not use is not cached');
      assert.equal((await kjson(tenant, ['get', 'secret', '-n', 'default', 'phys'])).metadata.labels['workload.kcp.io/synctarget-secret'], 'true', 'the admin-created kubeconfig Secret was labelled');

      // A token Secret as an older kplane wrote it (no label): the next reconcile labels it again.
      await tenant.ok(['label', 'secret', '-n', 'default', tokenSecret, 'workload.kcp.io/synctarget-secret-']);
      await tenant.ok(['annotate', 'synctarget', 'edge', 'touch=1']);
      await eventually(async () => {
        const s = await kjson(tenant, ['get', 'secret', '-n', 'default', tokenSecret]);
        return [s.metadata.labels?.['workload.kcp.io/synctarget-secret'] === 'true', JSON.stringify(s.metadata.labels)];
      }, { ...SLOW, what: 'the unlabelled token Secret is found and labelled' });
      rmSync(tenant.cacheDir, { recursive: true, force: true });
    } finally {
      stop.abort();
      await running;
      rmSync(dir, { recursive: true, force: true });
      rmSync(root.cacheDir, { recursive: true, force: true });
    }
  });
});
