// Runs the real kubectl (v1.32 at /usr/bin/kubectl, via its version dispatcher) against a
// kplane fixture, with a private discovery/HTTP cache so tests never share stale discovery.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  readonly kubeconfig: string;
  readonly cacheDir: string;
  readonly defaultArgs: string[];

  constructor(kubeconfig: string, defaultArgs: string[] = []) {
    this.kubeconfig = kubeconfig;
    this.defaultArgs = defaultArgs;
    this.cacheDir = mkdtempSync(join(tmpdir(), 'kplane-kubectl-cache-'));
  }

  /** A kubectl bound to another logical cluster of the same server. */
  forCluster(serverBase: string, cluster: string): Kubectl {
    const k = new Kubectl(this.kubeconfig, [`--server=${serverBase}/clusters/${cluster}`]);
    return k;
  }

  run(args: string[], opts: { stdin?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('kubectl', [...this.defaultArgs, ...args], {
        env: { ...process.env, KUBECONFIG: this.kubeconfig, KUBECACHEDIR: this.cacheDir, HOME: this.cacheDir, ...opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? killAfterMs(args));
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(opts.stdin ?? '');
    });
  }

  /** Run and require exit code 0; returns stdout. */
  async ok(args: string[], opts: { stdin?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  }
}

/**
 * When a kubectl process is killed if it has not exited: 60 s, or 30 s past a `--timeout=` it
 * was given (`wait`, `delete`, `rollout status`), so that kubectl's own timeout is the one that
 * counts and reports what it waited for.
 */
export function killAfterMs(args: string[]): number {
  const given = args.map((a) => /^--timeout=(\d+)(ms|s|m)$/.exec(a)).find((m) => m !== null);
  if (!given) return 60_000;
  const n = Number(given[1]);
  const ms = given[2] === 'ms' ? n : given[2] === 's' ? n * 1000 : n * 60_000;
  return Math.max(60_000, ms + 30_000);
}
