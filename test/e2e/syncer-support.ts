// Fixtures for the syncer e2e files: kplane-syncer and `kplane workload` as real child
// processes, kubeconfigs bound to a workspace, and the pieces of generated manifests.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../framework/kplane.ts';

export interface SyncerProcess extends AsyncDisposable {
  child: ChildProcess;
  /** stderr lines (JSON log entries parsed; other lines as strings). */
  logs: (Record<string, unknown> | string)[];
  stderr(): string;
  exited: Promise<number | null>;
  /** Log entries whose message matches. */
  count(re: RegExp): number;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `env` adds to the inherited environment (e.g. the hidden KPLANE_SYNCER_TEST_CLOCK_SKEW_MS). */
export function startSyncer(args: string[], env: Record<string, string> = {}): SyncerProcess {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'cmd', 'kplane-syncer', 'main.ts'), ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: REPO_ROOT, env: { ...process.env, ...env } });
  const logs: (Record<string, unknown> | string)[] = [];
  let text = '';
  createInterface({ input: child.stderr! }).on('line', (line) => {
    text += line + '\n';
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push(line);
    }
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => setImmediate(() => r(code))));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    child,
    logs,
    exited,
    stderr: () => text,
    count: (re) => logs.filter((l) => typeof l === 'object' && re.test(String(l.message))).length,
    stop,
    async [Symbol.asyncDispose]() {
      await stop('SIGKILL');
    },
  };
}

/** A copy of the admin kubeconfig whose every server points at /clusters/<workspace>. */
export function kubeconfigForWorkspace(adminKubeconfig: string, baseURL: string, workspace: string, dir: string): string {
  const text = readFileSync(adminKubeconfig, 'utf8').replace(/server: \S+/g, `server: ${baseURL}/clusters/${workspace}`);
  const path = join(dir, `${workspace.replace(/:/g, '_')}.kubeconfig`);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runKplane(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'cmd', 'kplane', 'main.ts'), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are arbitrary objects
export type Manifest = Record<string, any>;

export function parseManifests(yaml: string): Manifest[] {
  return parseAllDocuments(yaml).map((d) => d.toJS() as Manifest);
}

/** The kplane kubeconfig inside the generated Secret. */
export function kubeconfigFromManifests(objs: Manifest[]): string {
  const secret = objs.find((o) => o.kind === 'Secret');
  if (!secret) throw new Error('no Secret in the manifests');
  return Buffer.from(secret.data.kubeconfig as string, 'base64').toString('utf8');
}

/** The syncer args of the generated Deployment, with the kubeconfig path replaced. */
export function syncerArgsFromManifests(objs: Manifest[], kubeconfigPath: string): string[] {
  const dep = objs.find((o) => o.kind === 'Deployment');
  if (!dep) throw new Error('no Deployment in the manifests');
  return (dep.spec.template.spec.containers[0].args as string[]).map((a) => (a.startsWith('--from-kubeconfig=') ? `--from-kubeconfig=${kubeconfigPath}` : a));
}

/** The bearer token in a kubeconfig text. */
export function tokenOf(kubeconfig: string): string {
  const m = /token: (\S+)/.exec(kubeconfig);
  if (!m) throw new Error('no token in kubeconfig');
  return m[1]!;
}
