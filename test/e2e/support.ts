// Shared fixtures for the kubectl e2e files: a kplane with two child workspaces
// (root:team-a, root:team-b), a kubectl bound to each, manifests written to temp files, and
// kubectl running in the background (watches) with a way to stop it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../framework/eventually.ts';
import { type Kplane, startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';

/** Generous: a busy 2-core machine runs several kplanes and kubectls at once. */
export const SLOW = { timeoutMs: 90_000, intervalMs: 250 };

export interface E2EEnv extends AsyncDisposable {
  kp: Kplane;
  /** kubectl on the admin kubeconfig's current context (root). */
  root: Kubectl;
  teamA: Kubectl;
  teamB: Kubectl;
  /** A scratch directory for manifests and editor scripts. */
  dir: string;
  /** Write a manifest into the scratch directory; returns its path. */
  file(name: string, content: string): string;
}

/** Start kplane and create the team-a and team-b workspaces in root with kubectl. */
export async function startE2E(): Promise<E2EEnv> {
  // API-server contract tests: no controllers, so no controller writes interleave with what
  // the tests assert (the SyncTarget reconciler has its own e2e suite).
  const kp = await startKplane({ args: ['--controllers', '-'] });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-e2e-files-'));
  const root = new Kubectl(kp.kubeconfig);
  const env: E2EEnv = {
    kp,
    root,
    teamA: root.forCluster(kp.url, 'root:team-a'),
    teamB: root.forCluster(kp.url, 'root:team-b'),
    dir,
    file(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    async [Symbol.asyncDispose]() {
      try {
        await kp[Symbol.asyncDispose]();
      } finally {
        for (const k of [root, env.teamA, env.teamB]) rmSync(k.cacheDir, { recursive: true, force: true });
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    for (const ws of ['team-a', 'team-b']) {
      await root.ok(['create', '-f', env.file(`ws-${ws}.yaml`, workspaceYAML(ws))]);
    }
    for (const ws of ['team-a', 'team-b']) await waitWorkspaceReady(root, ws);
  } catch (err) {
    await env[Symbol.asyncDispose]();
    throw err;
  }
  return env;
}

export function workspaceYAML(name: string): string {
  return `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata:\n  name: ${name}\n`;
}

export function syncTargetYAML(name: string, cluster: string, extra: { labels?: Record<string, string>; finalizers?: string[] } = {}): string {
  const lines = ['apiVersion: workload.kcp.io/v1alpha1', 'kind: SyncTarget', 'metadata:', `  name: ${name}`];
  if (extra.labels) {
    lines.push('  labels:');
    for (const [k, v] of Object.entries(extra.labels)) lines.push(`    ${k}: ${JSON.stringify(v)}`);
  }
  if (extra.finalizers) {
    lines.push('  finalizers:');
    for (const f of extra.finalizers) lines.push(`  - ${f}`);
  }
  lines.push('spec:', `  cluster: ${cluster}`, '  cells:', '    region: eu-west', '  capacity:', '    cpu: "8"', '    memory: 32Gi');
  return lines.join('\n') + '\n';
}

export async function waitWorkspaceReady(k: Kubectl, name: string): Promise<void> {
  await eventually(
    async () => {
      const r = await k.run(['get', 'workspace', name, '-o', 'jsonpath={.status.phase}']);
      return [r.code === 0 && r.stdout === 'Ready', `phase=${r.stdout} ${r.stderr.trim()}`];
    },
    { ...SLOW, what: `workspace ${name} Ready` },
  );
}

/**
 * Create Workspace `name` in root with kubectl (its manifest written into `dir`), wait until it
 * is Ready, and return kubectl scoped to `root:<name>`.
 */
export async function createWorkspace(root: Kubectl, baseURL: string, dir: string, name: string): Promise<Kubectl> {
  const file = join(dir, `ws-${name}.yaml`);
  writeFileSync(file, workspaceYAML(name));
  await root.ok(['create', '-f', file]);
  await waitWorkspaceReady(root, name);
  return root.forCluster(baseURL, `root:${name}`);
}

/** JSON output of a kubectl command that must succeed. */
export async function kjson<T = any>(k: Kubectl, args: string[]): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary objects
  return JSON.parse(await k.ok([...args, '-o', 'json'])) as T;
}

/** kubectl running in the background (e.g. `get -w`), with its output so far. */
export interface BackgroundKubectl {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
  /** SIGTERM, then wait for exit. */
  stop(): Promise<number | null>;
}

export function background(k: Kubectl, args: string[]): BackgroundKubectl {
  const child = spawn('kubectl', [...k.defaultArgs, ...args], {
    env: { ...process.env, KUBECONFIG: k.kubeconfig, KUBECACHEDIR: k.cacheDir, HOME: k.cacheDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Split kubectl's `-o json` watch output (pretty-printed JSON documents, one after another)
 * into values. Incomplete trailing text is left out.
 */
export function parseJSONStream(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0 && start >= 0) {
        out.push(JSON.parse(text.slice(start, i + 1)));
        start = -1;
      }
    }
  }
  return out;
}
