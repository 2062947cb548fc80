// The SyncTarget reconciler end to end, through the real kubectl against `kplane start`
// (controllers in-process): validation, syncer identity, heartbeat-driven Ready, staleness,
// no hot loop on invalid specs, Secret-triggered re-validation, deletion through the
// finalizer, and zero writes for an idle reconcile of a healthy target.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { type Kplane, REPO_ROOT, startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { kjson, SLOW, syncTargetYAML, waitWorkspaceReady, workspaceYAML } from './support.ts';

const THRESHOLD_S = 4;

interface Cond {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- kubectl JSON output
type Obj = any;

function cond(st: Obj, type: string): Cond | undefined {
  return (st.status?.conditions as Cond[] | undefined)?.find((c) => c.type === type);
}

function reconcileCount(kp: Kplane, key: string): number {
  return kp.logs.filter((l) => l.message === 'reconciled' && l.key === key).length;
}

async function setup(args: string[]) {
  const kp = await startKplane({ args });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-st-e2e-'));
  const root = new Kubectl(kp.kubeconfig);
  await root.ok(['create', '-f', writeFile(dir, 'ws.yaml', workspaceYAML('team'))]);
  await waitWorkspaceReady(root, 'team');
  const team = root.forCluster(kp.url, 'root:team');
  return {
    kp,
    dir,
    team,
    file: (name: string, content: string) => writeFile(dir, name, content),
    async dispose() {
      await kp[Symbol.asyncDispose]();
      rmSync(dir, { recursive: true, force: true });
      rmSync(root.cacheDir, { recursive: true, force: true });
      rmSync(team.cacheDir, { recursive: true, force: true });
    },
  };
}

function writeFile(dir: string, name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function beat(k: Kubectl, name: string, at = new Date()): Promise<string> {
  const ts = at.toISOString().replace(/\.\d+Z$/, 'Z');
  await k.ok(['patch', 'synctarget', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { lastSyncerHeartbeatTime: ts } })]);
  return ts;
}

async function waitCond(k: Kubectl, name: string, type: string, status: string, reason?: string): Promise<Obj> {
  let last: Obj;
  await eventually(
    async () => {
      last = await kjson(k, ['get', 'synctarget', name]);
      const c = cond(last, type);
      return [c?.status === status && (reason === undefined || c.reason === reason), `${type}=${JSON.stringify(c)}`];
    },
    { ...SLOW, what: `${name} ${type}=${status}` },
  );
  return last;
}

describe('SyncTarget reconciler (threshold 4s)', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    env = await setup(['--heartbeat-threshold', `${THRESHOLD_S}s`, '--log-level', 'debug']);
  });
  after(async () => {
    await env?.dispose();
  });

  test('create → Valid, identity, Ready=False (no heartbeat); beat → Ready; silence → Ready=False in time; beat again → Ready', async () => {
    const { team } = env;
    await team.ok(['create', '-f', env.file('edge.yaml', syncTargetYAML('edge', 'edge-cluster'))]);
    await waitCond(team, 'edge', 'HeartbeatHealthy', 'False', 'ErrorHeartbeat');
    // HeartbeatHealthy comes from the heartbeat controller, the rest from the SyncTarget
    // controller: once both have written, Ready is False (no syncer has connected yet).
    await waitCond(team, 'edge', 'Valid', 'True');
    const st = await waitCond(team, 'edge', 'Ready', 'False', 'AwaitingManualDeployment');
    assert.ok(st.metadata.finalizers.includes('workload.kcp.io/syncer'));
    assert.match(st.metadata.labels['internal.workload.kcp.io/key'], /^[0-9A-Za-z]+$/);
    const id = (await kjson(team, ['get', 'synctarget', 'edge'])).status.syncerIdentity;
    assert.match(id.serviceAccount, /^kplane-syncer-edge-[0-9a-f]{8}$/);
    await team.ok(['get', 'serviceaccount', '-n', 'default', id.serviceAccount]);
    await team.ok(['get', 'clusterrole', id.clusterRole]);
    await team.ok(['get', 'clusterrolebinding', id.clusterRoleBinding]);
    // Deployed by hand (no kubeconfigSecretRef): `kplane workload sync` mints that syncer's token,
    // so kplane keeps no token Secret of its own for it.
    assert.equal(id.tokenSecret, undefined);
    assert.match((await team.run(['get', 'secret', '-n', 'default', `${id.serviceAccount}-token`])).stderr, /NotFound/);

    const beatAt = Date.now();
    await beat(team, 'edge');
    // The beat is acknowledged by now, so the controller observed it at or after beatAt and
    // no later than (about) ackedAt.
    const ackedAt = Date.now();
    await team.ok(['wait', '--for=condition=Ready', 'synctarget/edge', '--timeout=60s']);
    const ready = await kjson(team, ['get', 'synctarget', 'edge']);
    assert.equal(ready.status.phase, 'Ready');

    // No more beats: HeartbeatHealthy turns False on its own (requeue at the stale moment).
    const stale = await waitCond(team, 'edge', 'HeartbeatHealthy', 'False', 'ErrorHeartbeat');
    assert.match(cond(stale, 'HeartbeatHealthy')!.message!, /^No heartbeat since /);
    assert.equal(cond(stale, 'Ready')?.status, 'False');
    assert.equal(stale.status.phase, 'NotReady');
    // The transition time (truncated down to seconds) lies between the beat and threshold + 1 s
    // after its acknowledgement: the requeue was scheduled for exactly observation + threshold.
    const flippedAt = Date.parse(cond(stale, 'HeartbeatHealthy')!.lastTransitionTime!);
    assert.ok(flippedAt - beatAt >= (THRESHOLD_S - 1) * 1000, `not early: ${flippedAt - beatAt} ms`);
    assert.ok(flippedAt - ackedAt <= (THRESHOLD_S + 1) * 1000, `within threshold + 1 s of the acknowledged beat: ${flippedAt - ackedAt} ms`);

    await beat(team, 'edge');
    await team.ok(['wait', '--for=condition=Ready', 'synctarget/edge', '--timeout=60s']);
    // describe shows the Events recorded on transitions.
    const describe = await team.ok(['describe', 'synctarget', 'edge']);
    assert.match(describe, /ErrorHeartbeat/);
    assert.match(describe, /ReadyTrue|HeartbeatHealthyTrue/);
  });

  test('invalid spec → Valid=False without a hot loop', async () => {
    const { team, kp } = env;
    await team.ok(['create', '-f', env.file('bad.yaml', 'apiVersion: workload.kcp.io/v1alpha1\nkind: SyncTarget\nmetadata:\n  name: nocells\nspec:\n  cluster: c\n')]);
    await waitCond(team, 'nocells', 'Valid', 'False', 'MissingCells');
    const st = await kjson(team, ['get', 'synctarget', 'nocells']);
    assert.equal(st.status.phase, 'Pending');
    // No hot loop, observed rather than waited for: the reconcile that settles it writes
    // nothing (no event to wake it again) and ends in `wait` (no requeue: only a change to the
    // object or its Secret brings it back), so nothing can reconcile it again on its own.
    const lastSummary = () => String(kp.logs.filter((l) => l.message === 'reconciled' && l.key === 'root:team|nocells').at(-1)?.summary);
    await eventually(() => [/^wait .*validate=wait\(/.test(lastSummary()) && !/status=written/.test(lastSummary()), lastSummary()], { ...SLOW, what: 'a quiet, waiting reconcile' });
    const settled = reconcileCount(kp, 'root:team|nocells');
    assert.ok(settled <= 4, `few reconciles to settle: ${settled}`);
  });

  test('a Secret created later makes the SyncTarget Valid', async () => {
    const { team } = env;
    const yaml = syncTargetYAML('remote', 'remote-cluster') + '  kubeconfigSecretRef:\n    namespace: default\n    name: remote-kubeconfig\n';
    await team.ok(['create', '-f', env.file('remote.yaml', yaml)]);
    await waitCond(team, 'remote', 'Valid', 'False', 'SecretNotFound');
    const kubeconfig = [
      'apiVersion: v1', 'kind: Config', 'current-context: c',
      'clusters: [{name: p, cluster: {server: "https://127.0.0.1:1"}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: c, context: {cluster: p, user: u}}]',
    ].join('\n');
    await team.ok(['create', 'secret', 'generic', 'remote-kubeconfig', '-n', 'default', `--from-file=kubeconfig=${env.file('kc', kubeconfig)}`]);
    await waitCond(team, 'remote', 'Valid', 'True');
    // Nothing listens on port 1: deployment is reported, not hidden.
    await waitCond(team, 'remote', 'SyncerDeployed', 'False', 'PhysicalClusterUnreachable');
    // kplane deploys this one, so it minted the syncer's token and keeps it in a Secret.
    const remote = (await kjson(team, ['get', 'synctarget', 'remote'])).status.syncerIdentity;
    assert.equal(remote.tokenSecret, `${remote.serviceAccount}-token`);
    const tokenSecret = await kjson(team, ['get', 'secret', '-n', 'default', remote.tokenSecret]);
    assert.ok(tokenSecret.data?.token, 'the token Secret holds a token');
    // Deleted, it is minted again: its owner reference brings the SyncTarget back to the queue.
    await team.ok(['delete', 'secret', '-n', 'default', remote.tokenSecret]);
    await eventually(async () => {
      const again = await team.run(['get', 'secret', '-n', 'default', remote.tokenSecret, '-o', 'json']);
      if (again.code !== 0) return [false, again.stderr];
      const s = JSON.parse(again.stdout) as Obj;
      return [s.metadata.uid !== tokenSecret.metadata.uid && Boolean(s.data?.token), `uid ${s.metadata.uid}`];
    }, { ...SLOW, what: 'the token Secret minted again' });
  });

  test('a token Secret an older kplane left for a target deployed by hand is deleted', async () => {
    const { team } = env;
    await team.ok(['create', '-f', env.file('legacy.yaml', syncTargetYAML('legacy', 'c'))]);
    const st = await waitCond(team, 'legacy', 'SyncerAuthorized', 'True');
    const sa = st.status.syncerIdentity.serviceAccount as string;
    // What the controller used to write for every SyncTarget: labelled, owned, one token.
    const secret = {
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
      metadata: {
        name: `${sa}-token`, namespace: 'default',
        labels: { 'app.kubernetes.io/managed-by': 'kplane', 'workload.kcp.io/synctarget-secret': 'true' },
        annotations: { 'workload.kcp.io/service-account-uid': 'an-old-uid' },
        ownerReferences: [{ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', name: 'legacy', uid: st.metadata.uid, controller: true, blockOwnerDeletion: false }],
      },
      data: { token: Buffer.from('an old token').toString('base64') },
    };
    await team.ok(['create', '-f', env.file('legacy-token.json', JSON.stringify(secret))]);
    await eventually(async () => {
      const r = await team.run(['get', 'secret', '-n', 'default', `${sa}-token`]);
      return [/NotFound/.test(r.stderr), r.stdout || r.stderr];
    }, { ...SLOW, what: 'the unused token Secret deleted' });
    assert.equal((await kjson(team, ['get', 'synctarget', 'legacy'])).status.syncerIdentity.tokenSecret, undefined);
  });

  test('delete → identity removed, finalizer released, object gone', async () => {
    const { team } = env;
    await team.ok(['create', '-f', env.file('doomed.yaml', syncTargetYAML('doomed', 'c'))]);
    const st = await waitCond(team, 'doomed', 'SyncerAuthorized', 'True');
    const sa = st.status.syncerIdentity.serviceAccount;
    await team.ok(['delete', 'synctarget', 'doomed', '--timeout=60s']);
    assert.notEqual((await team.run(['get', 'synctarget', 'doomed'])).code, 0);
    for (const args of [['serviceaccount', '-n', 'default', sa], ['clusterrole', sa], ['clusterrolebinding', sa], ['secret', '-n', 'default', `${sa}-token`]]) {
      const r = await team.run(['get', ...args]);
      assert.match(r.stderr, /NotFound/, `${args.join(' ')} is gone`);
    }
    const describe = await team.ok(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.name=doomed', '-o', 'jsonpath={.items[*].reason}']);
    assert.match(describe, /SyncerRemoved/);
  });
});

describe('SyncTarget reconciler: idle reconcile writes nothing', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    env = await setup(['--heartbeat-threshold', '120s', '--log-level', 'debug']);
  });
  after(async () => {
    await env?.dispose();
  });

  test('a reconcile of an unchanged healthy target performs zero writes', async () => {
    const { team, kp } = env;
    await team.ok(['create', '-f', env.file('idle.yaml', syncTargetYAML('idle', 'c'))]);
    const st = await waitCond(team, 'idle', 'SyncerAuthorized', 'True');
    await beat(team, 'idle');
    await team.ok(['wait', '--for=condition=Ready', 'synctarget/idle', '--timeout=60s']);
    // Let the reconciles caused by our own writes settle.
    let before = -1;
    await eventually(async () => {
      const n = reconcileCount(kp, 'root:team|idle');
      const stable = n === before;
      before = n;
      return [stable, `reconciles ${n}`];
    }, { ...SLOW, intervalMs: 1500 });
    // Touch an identity object (a label the controller does not own): that write is the last
    // one, and it wakes the SyncTarget's reconcile, which must find nothing to do.
    const sa = st.status.syncerIdentity.serviceAccount;
    // The labelled object's resourceVersion is the storage revision of this (last) write.
    // (`kubectl label -o json` prints the object as it was before the patch; `patch` prints the result.)
    const revision = (await kjson(team, ['patch', 'serviceaccount', '-n', 'default', sa, '--type=merge', '-p', '{"metadata":{"labels":{"touched":"yes"}}}'])).metadata.resourceVersion;
    await eventually(() => [reconcileCount(kp, 'root:team|idle') > before, 'waiting for the reconcile'], SLOW);
    // No settling pause: the 'reconciled' line is logged after the reconcile's writes returned,
    // and its only unawaited write (an Event) follows a status write, which moves the revision
    // by itself; a reconcile that wrote nothing wakes nothing else.
    // A list's resourceVersion is the current storage revision (kubectl's own `get -o json`
    // re-wraps lists without it, so read the raw list).
    const after = JSON.parse(await team.ok(['get', '--raw', '/clusters/root:team/api/v1/namespaces'])).metadata.resourceVersion;
    assert.equal(after, revision, 'the storage revision did not move: the reconcile wrote nothing');
    const summary = kp.logs.filter((l) => l.message === 'reconciled' && l.key === 'root:team|idle').at(-1);
    assert.doesNotMatch(String(summary?.summary), /status=written/);
  });
});

describe('kplane controllers as a separate process', () => {
  test('reconciles through the API of a kplane started with --controllers -', async () => {
    const env = await setup(['--controllers', '-']);
    const child = spawn(process.execPath, [join(REPO_ROOT, 'cmd', 'kplane', 'main.ts'), 'controllers', '--kubeconfig', env.kp.kubeconfig], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await env.team.ok(['create', '-f', env.file('sep.yaml', syncTargetYAML('separate', 'c'))]);
      await waitCond(env.team, 'separate', 'Valid', 'True');
      await waitCond(env.team, 'separate', 'SyncerAuthorized', 'True');
      // It ran as the elected leader of the controller-manager Lease.
      const root = new Kubectl(env.kp.kubeconfig);
      const lease = await kjson(root, ['get', 'lease', '-n', 'default', 'kplane-controller-manager']);
      assert.ok(lease.spec.holderIdentity, 'the Lease has a holder');
      rmSync(root.cacheDir, { recursive: true, force: true });
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr.slice(-2000));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await env.dispose();
    }
  });
});
