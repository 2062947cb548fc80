// Rescheduling by drain with two real syncers (their own tokens, through their syncer views) on
// one physical cluster: `kplane workload drain` the SyncTarget a namespace runs on → the other
// syncer creates its own `kcp-<hash>` copy, the drained one deletes its copy and releases its
// finalizer and label upstream, and the Deployment ends up held by the new SyncTarget only.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { syncerFinalizer } from '../../apis/workload/v1alpha1/sync-contract.ts';
import { stateLabelKey, toSyncTargetKey } from '../../apis/workload/v1alpha1/synctargetkey.ts';
import { eventually } from '../framework/eventually.ts';
import { startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { createWorkspace, kjson, SLOW } from './support.ts';
import { downstreamNamespace, syncerArgsFor, WEB_PLACEMENT } from './sync-support.ts';
import { kubeconfigForWorkspace, runKplane, startSyncer, type SyncerProcess } from './syncer-support.ts';

const WS = 'root:team';

test('sync: drain moves a running Deployment to the other SyncTarget', { timeout: 600_000 }, async (t) => {
  await using kp = await startKplane();
  await using phys = await startKplane({ args: ['--controllers', '-'] });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-sync-drain-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = new Kubectl(kp.kubeconfig);
  t.after(() => rmSync(root.cacheDir, { recursive: true, force: true }));
  const team = await createWorkspace(root, kp.url, dir, 'team');
  const down = new Kubectl(phys.kubeconfig);
  t.after(() => rmSync(down.cacheDir, { recursive: true, force: true }));
  const adminWs = kubeconfigForWorkspace(kp.kubeconfig, kp.url, WS, dir);
  const syncers: SyncerProcess[] = [];
  t.after(async () => {
    for (const s of syncers) await s.stop('SIGKILL');
  });
  const uids: Record<string, string> = {};
  for (const name of ['edge-1', 'edge-2']) {
    syncers.push(startSyncer((await syncerArgsFor(adminWs, dir, name, ['--to-kubeconfig', phys.kubeconfig, '--resources', 'deployments.apps,configmaps'])).args));
  }
  for (const name of ['edge-1', 'edge-2']) {
    await team.ok(['wait', '--for=condition=Ready', `synctarget/${name}`, '--timeout=120s']);
    uids[name] = (await kjson(team, ['get', 'synctarget', name])).metadata.uid;
  }
  const dnsOf = (name: string) => downstreamNamespace({ cluster: WS, name, uid: uids[name]! }, WS, 'web');
  const keyOf = (name: string) => toSyncTargetKey(WS, name);

  await team.ok(['create', 'namespace', 'web']);
  await team.ok(['label', 'namespace', 'web', 'app=web']);
  writeFileSync(join(dir, 'placement.yaml'), WEB_PLACEMENT);
  await team.ok(['apply', '-f', join(dir, 'placement.yaml')]);
  await team.ok(['-n', 'web', 'create', 'deployment', 'web', '--image=nginx']);
  let from = '';
  await eventually(async () => {
    const labels = (await kjson(team, ['get', 'namespace', 'web'])).metadata.labels ?? {};
    from = ['edge-1', 'edge-2'].find((n) => labels[stateLabelKey(keyOf(n))] !== undefined) ?? '';
    if (!from) return [false, JSON.stringify(labels)];
    const r = await down.run(['-n', dnsOf(from), 'get', 'deployment', 'web']);
    return [r.code === 0, r.stderr];
  }, { ...SLOW, what: 'web running on its first SyncTarget' });
  const to = from === 'edge-1' ? 'edge-2' : 'edge-1';

  const drained = await runKplane(['workload', 'drain', from], { KUBECONFIG: adminWs });
  assert.equal(drained.code, 0, drained.stderr);
  await eventually(async () => {
    const moved = (await down.run(['-n', dnsOf(to), 'get', 'deployment', 'web'])).code === 0;
    const left = (await down.run(['get', 'namespace', dnsOf(from)])).code !== 0;
    const dep = await kjson(team, ['-n', 'web', 'get', 'deployment', 'web']);
    const labels = Object.keys(dep.metadata.labels ?? {}).filter((l) => l.startsWith('state.workload.kcp.io/'));
    const released = JSON.stringify(dep.metadata.finalizers ?? []) === JSON.stringify([syncerFinalizer(keyOf(to))]) && JSON.stringify(labels) === JSON.stringify([stateLabelKey(keyOf(to))]);
    // The namespace itself is released last (after its objects): only the new key, no annotation.
    const ns = (await kjson(team, ['get', 'namespace', 'web'])).metadata;
    const nsDone = ns.labels?.[stateLabelKey(keyOf(from))] === undefined && ns.labels?.[stateLabelKey(keyOf(to))] !== undefined
      && !Object.keys(ns.annotations ?? {}).some((a) => a.startsWith('deletion.internal.workload.kcp.io/'));
    return [moved && left && released && nsDone, JSON.stringify({ moved, left, finalizers: dep.metadata.finalizers, labels, ns: { labels: ns.labels, annotations: ns.annotations } })];
  }, { ...SLOW, what: `web moved from ${from} to ${to}, ${from}'s copy gone and everything released` });
});
