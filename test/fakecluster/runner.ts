// A kwok-like stand-in for a physical cluster's kubelet: watches apps/v1 Deployments in a
// kplane instance (the "physical cluster" of e2e tests) and runs, as a real child process,
// the kplane-syncer each Deployment describes — same args, with the kubeconfig Secret its
// pod would mount written to a temp dir and the path rewritten. It stops the process when
// the Deployment is deleted or scaled to 0, restarts a crashed one with backoff (like
// CrashLoopBackOff), and reports replicas/availableReplicas on the Deployment status.
//
//   await using runner = await FakeClusterRunner.start({ kubeconfig: phys.kubeconfig });
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ClusterClient } from '../../pkg/client/index.ts';
import { isNotFound } from '../../pkg/client/errors.ts';
import type { KubeObject } from '../../pkg/client/object.ts';
import { Transport } from '../../pkg/client/transport.ts';
import { KubeConfig } from '@kubernetes/client-node';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const SYNCER_MAIN = join(REPO_ROOT, 'cmd', 'kplane-syncer', 'main.ts');

interface Container {
  name: string;
  args?: string[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers?: Container[];
  volumes?: { name: string; secret?: { secretName: string; items?: { key: string; path: string }[] } }[];
}
interface Deployment extends KubeObject {
  spec?: { replicas?: number; template?: { spec?: PodSpec } };
}

/** One "pod": the syncer process for one Deployment. */
export interface RunningSyncer {
  key: string;
  args: string[];
  child: ChildProcess | undefined;
  /** Every exit code seen (null = killed by a signal). */
  exits: (number | null)[];
  starts: number;
  /** stderr lines, parsed as JSON where possible. */
  logs: (Record<string, unknown> | string)[];
  /** While held, a crashed or killed process is not restarted. */
  held: boolean;
  available: boolean;
}

export interface RunnerOptions {
  /** kubeconfig of the kplane standing in for the physical cluster. */
  kubeconfig: string;
  /** Logical cluster that plays the physical cluster; defaults to the kubeconfig's, else root. */
  cluster?: string;
  /** First restart delay after a crash; doubles up to 10s. Defaults to 500ms. */
  restartDelayMs?: number;
}

export class FakeClusterRunner implements AsyncDisposable {
  private readonly clusterClient: ClusterClient;
  private readonly cluster: string;
  private readonly dir = mkdtempSync(join(tmpdir(), 'kplane-fakecluster-'));
  private readonly syncers = new Map<string, RunningSyncer>();
  private readonly specs = new Map<string, string>();
  private readonly stopCtl = new AbortController();
  private readonly restartDelayMs: number;
  private loop: Promise<void> = Promise.resolve();

  private constructor(o: RunnerOptions) {
    const kc = new KubeConfig();
    kc.loadFromFile(o.kubeconfig);
    this.cluster = o.cluster ?? Transport.clusterFromKubeconfig(kc) ?? 'root';
    this.clusterClient = new ClusterClient(kc, { component: 'fakecluster-runner' });
    this.restartDelayMs = o.restartDelayMs ?? 500;
  }

  static async start(o: RunnerOptions): Promise<FakeClusterRunner> {
    const r = new FakeClusterRunner(o);
    r.loop = r.watchLoop();
    return r;
  }

  /** The syncer for Deployment <namespace>/<name>, if one was ever started. */
  get(namespace: string, name: string): RunningSyncer | undefined {
    return this.syncers.get(`${namespace}/${name}`);
  }

  all(): RunningSyncer[] {
    return [...this.syncers.values()];
  }

  /** Kill a syncer (SIGKILL by default) and keep it down until release(). */
  async kill(namespace: string, name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const s = this.get(namespace, name);
    if (!s) throw new Error(`no syncer for ${namespace}/${name}`);
    s.held = true;
    await this.stopProcess(s, signal);
  }

  /** Let a held syncer run again (restarted at once). */
  release(namespace: string, name: string): void {
    const s = this.get(namespace, name);
    if (!s) throw new Error(`no syncer for ${namespace}/${name}`);
    s.held = false;
    if (!s.child) this.spawn(s);
  }

  private async watchLoop(): Promise<void> {
    const deployments = this.clusterClient.cluster(this.cluster).deployments();
    while (!this.stopCtl.signal.aborted) {
      try {
        const list = await deployments.list();
        const seen = new Set<string>();
        for (const d of list.items) {
          seen.add(keyOf(d));
          await this.reconcile(d as Deployment);
        }
        for (const key of [...this.syncers.keys()]) if (!seen.has(key)) await this.remove(key);
        for await (const ev of deployments.watch({ resourceVersion: list.metadata.resourceVersion ?? '0', signal: this.stopCtl.signal })) {
          if (ev.type === 'DELETED') await this.remove(keyOf(ev.object));
          else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') await this.reconcile(ev.object as Deployment);
          else if (ev.type === 'ERROR') break;
        }
      } catch (err) {
        if (this.stopCtl.signal.aborted) return;
        process.stderr.write(`fakecluster: watch failed, relisting: ${(err as Error).message}\n`);
      }
      await sleep(200);
    }
  }

  private async reconcile(d: Deployment): Promise<void> {
    const key = keyOf(d);
    const want = !d.metadata.deletionTimestamp && (d.spec?.replicas ?? 1) > 0;
    if (!want) return this.remove(key);
    const spec = JSON.stringify(d.spec?.template ?? {});
    const existing = this.syncers.get(key);
    if (existing && this.specs.get(key) === spec) return;
    // New or changed template: Recreate — stop the old process, then start the new one.
    if (existing) await this.stopProcess(existing, 'SIGTERM');
    this.specs.set(key, spec);
    let args: string[];
    try {
      args = await this.materialise(d);
    } catch (err) {
      process.stderr.write(`fakecluster: cannot run ${key}: ${(err as Error).message}\n`);
      return;
    }
    const s: RunningSyncer = existing ?? { key, args, child: undefined, exits: [], starts: 0, logs: [], held: false, available: false };
    s.args = args;
    this.syncers.set(key, s);
    if (!s.held) this.spawn(s);
  }

  /** Write the pod's secret volumes to disk and rewrite args that point into their mounts. */
  private async materialise(d: Deployment): Promise<string[]> {
    const pod = d.spec?.template?.spec ?? {};
    const container = pod.containers?.[0];
    if (!container) throw new Error('the pod template has no container');
    let args = [...(container.args ?? [])];
    const podDir = join(this.dir, (d.metadata.namespace ?? '') + '_' + (d.metadata.name ?? ''));
    for (const mount of container.volumeMounts ?? []) {
      const vol = pod.volumes?.find((v) => v.name === mount.name);
      if (!vol?.secret) continue;
      const secret = await this.clusterClient.cluster(this.cluster).secrets(d.metadata.namespace ?? 'default').get(vol.secret.secretName);
      const data = (secret.data ?? {}) as Record<string, string>;
      const hostDir = join(podDir, mount.name);
      mkdirSync(hostDir, { recursive: true });
      const items = vol.secret.items ?? Object.keys(data).map((k) => ({ key: k, path: k }));
      for (const item of items) writeFileSync(join(hostDir, item.path), Buffer.from(data[item.key] ?? '', 'base64'), { mode: 0o600 });
      const prefix = mount.mountPath.replace(/\/+$/, '');
      args = args.map((a) => a.replace(new RegExp(`(^|=)${escapeRegExp(prefix)}(?=/|$)`), `$1${hostDir}`));
    }
    return args;
  }

  private spawn(s: RunningSyncer): void {
    const child = spawn(process.execPath, [SYNCER_MAIN, ...s.args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: REPO_ROOT });
    s.child = child;
    s.starts++;
    const rl = createInterface({ input: child.stderr! });
    rl.on('line', (line) => {
      let entry: Record<string, unknown> | string = line;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        // plain text (e.g. "error: ..." on exit)
      }
      s.logs.push(entry);
      // Readiness: the syncer found its SyncTarget and started heartbeating.
      if (!s.available && typeof entry === 'object' && entry.message === 'SyncTarget found, heartbeating') {
        s.available = true;
        void this.reportStatus(s.key, 1);
      }
    });
    child.once('exit', (code) => {
      s.exits.push(code);
      s.child = undefined;
      if (s.available) {
        s.available = false;
        void this.reportStatus(s.key, 0);
      }
      const stillWanted = this.syncers.get(s.key) === s && !s.held && !this.stopCtl.signal.aborted;
      if (stillWanted) {
        const delay = Math.min(10_000, this.restartDelayMs * 2 ** Math.min(5, s.exits.length - 1));
        setTimeout(() => {
          if (this.syncers.get(s.key) === s && !s.held && !s.child && !this.stopCtl.signal.aborted) this.spawn(s);
        }, delay).unref();
      }
    });
  }

  private async stopProcess(s: RunningSyncer, signal: NodeJS.Signals): Promise<void> {
    const child = s.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  }

  private async remove(key: string): Promise<void> {
    const s = this.syncers.get(key);
    this.syncers.delete(key);
    this.specs.delete(key);
    if (s) await this.stopProcess(s, 'SIGTERM');
    // Keep the record reachable for assertions through `removed`.
    if (s) this.removed.push(s);
  }

  /** Syncers whose Deployment went away (or was scaled to 0), in order. */
  readonly removed: RunningSyncer[] = [];

  private async reportStatus(key: string, available: number): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    const status = {
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: available,
      availableReplicas: available,
      unavailableReplicas: 1 - available,
      conditions: [{ type: 'Available', status: available ? 'True' : 'False', reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable' }],
    };
    try {
      await this.clusterClient.cluster(this.cluster).deployments(namespace).patchStatus(name, 'merge', { status });
    } catch (err) {
      if (!isNotFound(err)) process.stderr.write(`fakecluster: status of ${key}: ${(err as Error).message}\n`);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.stopCtl.abort();
    await Promise.all([...this.syncers.values()].map((s) => this.stopProcess(s, 'SIGTERM')));
    await this.loop.catch(() => undefined);
    this.clusterClient.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
