// Test fixture: a real `kplane start` child process on a free port with its own root dir.
// Use with `await using kp = await startKplane()`: the process is stopped (SIGTERM) and the
// directory removed when the scope ends.
import { type ChildProcess, spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { LogFile } from './log-file.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface StartOptions {
  /** Extra flags for `kplane start`. */
  args?: string[];
  /** Reuse a root dir (restart tests); otherwise a fresh temp dir is made and removed. */
  rootDir?: string;
  /** Keep the root dir on dispose. */
  keepRootDir?: boolean;
  /** Extra environment variables for the process (e.g. test hooks). */
  env?: Record<string, string>;
  /** Options for the server's Node itself (e.g. `--cpu-prof`), placed before the script. */
  nodeArgs?: string[];
  /**
   * What to run: the TypeScript sources (default, what tests exercise), the compiled dist/, or
   * `launcher`: the bin launcher `npm start` and the `kplane` binary go through
   * (hack/bin/launch.sh: dist/ while fresh, jemalloc when the system has it; benchmarks, built
   * by hack/build.mjs beforehand). With the launcher, nodeArgs reach Node as NODE_OPTIONS.
   */
  entry?: Entry;
  /**
   * Where the server's log goes. `pipe` (the default): a pipe this process reads, every line
   * parsed into `logs` as it comes. `file`: appended to `<rootDir>/kplane.log` and parsed only
   * when `logs` is read. Benchmarks use `file`: on a pipe the harness parsed every request line
   * on the same two cores the server was measured on, and the server's stderr write (synchronous
   * on a pipe in Node) waits whenever the reader falls 64 KiB behind.
   */
  log?: 'pipe' | 'file';
}

export type Entry = 'sources' | 'dist' | 'launcher';

/** The bin launcher the `kplane`, `kplane-syncer` and `kubectl-ws` shims exec. */
export const LAUNCHER = join(REPO_ROOT, 'hack', 'bin', 'launch.sh');

/**
 * The system's jemalloc as the launcher and the image build find it (hack/bin/jemalloc.sh), or
 * undefined when the machine has none.
 */
export function systemJemalloc(): string | undefined {
  const r = spawnSync('sh', ['-c', `. '${join(REPO_ROOT, 'hack', 'bin', 'jemalloc.sh')}' && find_jemalloc`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The main module of a binary in cmd/, as sources or as compiled by hack/build.mjs. */
export function binaryMain(binary: string, entry: 'sources' | 'dist' = 'sources'): string {
  return entry === 'dist' ? join(REPO_ROOT, 'dist', 'cmd', binary, 'main.js') : join(REPO_ROOT, 'cmd', binary, 'main.ts');
}

export interface Kplane extends AsyncDisposable {
  url: string;
  rootDir: string;
  kubeconfig: string;
  caPem: string;
  adminToken: string;
  process: ChildProcess;
  /** Every log line (parsed JSON) the server printed so far. */
  logs: Record<string, unknown>[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startKplane(opts: StartOptions = {}): Promise<Kplane> {
  const rootDir = opts.rootDir ?? mkdtempSync(join(tmpdir(), 'kplane-e2e-'));
  const startArgs = ['start', '--root-dir', rootDir, '--secure-port', '0', ...(opts.args ?? [])];
  const env = { ...process.env, ...opts.env };
  if (opts.entry === 'launcher' && opts.nodeArgs?.length) env['NODE_OPTIONS'] = [env['NODE_OPTIONS'], ...opts.nodeArgs].filter(Boolean).join(' ');
  const logFile = opts.log === 'file' ? new LogFile(join(rootDir, 'kplane.log')) : undefined;
  const stderr = logFile ? openSync(logFile.path, 'a') : 'pipe';
  const stdio: StdioOptions = ['ignore', 'pipe', stderr];
  // `sh launch.sh` execs Node, so the child's pid is the server's.
  const child = opts.entry === 'launcher'
    ? spawn('sh', [LAUNCHER, 'kplane', ...startArgs], { stdio, cwd: REPO_ROOT, env })
    : spawn(process.execPath, [...(opts.nodeArgs ?? []), binaryMain('kplane', opts.entry), ...startArgs], { stdio, cwd: REPO_ROOT, env });
  // The child holds its own copy of the file's descriptor.
  if (typeof stderr === 'number') closeSync(stderr);
  const logs: Record<string, unknown>[] = [];
  let stderrTail = '';
  /** Keep a line (and its parse, when it is a JSON log line); the ready line resolves `ready`. */
  let onReady: (url: string) => void = () => undefined;
  const take = (line: string): void => {
    stderrTail = (stderrTail + line + '\n').slice(-4000);
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.message === 'kplane is ready') onReady(String(entry.url));
    } catch {
      // not a JSON log line (e.g. a Node warning): kept in stderrTail only
    }
  };
  const drainLogFile = (): void => {
    for (const line of logFile?.readLines() ?? []) take(line);
  };
  const ready = new Promise<string>((resolveReady, reject) => {
    onReady = resolveReady;
    if (logFile) {
      const poll = setInterval(drainLogFile, 25);
      const stopPolling = () => clearInterval(poll);
      onReady = (url) => {
        stopPolling();
        resolveReady(url);
      };
      child.once('exit', stopPolling);
    } else {
      createInterface({ input: child.stderr! }).on('line', take);
    }
    child.once('exit', (code) => {
      drainLogFile();
      reject(new Error(`kplane exited with ${code} before ready:\n${stderrTail}`));
    });
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  let url: string;
  try {
    url = await ready;
  } finally {
    clearTimeout(timer);
  }
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const kubeconfig = join(rootDir, 'admin.kubeconfig');
  const kc = readFileSync(kubeconfig, 'utf8');
  const adminToken = /token: (\S+)/.exec(kc)?.[1] ?? '';
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill(signal);
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(kill);
    return code;
  };
  return {
    url,
    rootDir,
    kubeconfig,
    caPem: readFileSync(join(rootDir, 'ca.crt'), 'utf8'),
    adminToken,
    process: child,
    get logs() {
      drainLogFile();
      return logs;
    },
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
      if (!opts.rootDir && !opts.keepRootDir) rmSync(rootDir, { recursive: true, force: true });
    },
  };
}
