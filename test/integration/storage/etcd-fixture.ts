// Test fixture: a throwaway etcd (one member or a three-member cluster) on free loopback
// ports with a temporary data directory, killed and removed by stop() — also when the test
// process exits abnormally (an 'exit' hook SIGKILLs whatever is still running).
//
//   const etcd = await startEtcd();            // or: await using etcd = await startEtcd();
//   const storage = await openEtcdStorage({ endpoints: etcd.endpoints });
//   ...; await etcd.stop();
//
// The binary is $ETCD_BIN or /usr/bin/etcd (Debian's etcd-server). A missing binary is an
// error, never a skip: CI installs it. $KPLANE_ETCD_EXTRA_ARGS adds flags to every member
// (for example a faster disk setting on a slow machine); defaults keep fsync on.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ETCD_BIN = process.env['ETCD_BIN'] ?? '/usr/bin/etcd';

export interface EtcdFixtureOptions {
  /** 1 (default) or 3 members. */
  members?: 1 | 3;
  /** etcd's progress notification period, which paces BOOKMARK events. Defaults to '250ms'. */
  progressNotifyInterval?: string;
  /** Extra flags for every member. */
  extraArgs?: string[];
  /** How long to wait for the cluster to become healthy. Defaults to 60 s. */
  startTimeoutMs?: number;
}

export interface EtcdMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  logFile: string;
  process: ChildProcess;
}

export interface EtcdFixture extends AsyncDisposable {
  /** Client URLs of all members. */
  readonly endpoints: string[];
  readonly members: EtcdMember[];
  /** Root of every member's data directory and log. */
  readonly dir: string;
  /** SIGKILL one member (for failure tests); stop() still cleans up. */
  killMember(index: number): Promise<void>;
  /** Stop every member (SIGTERM, then SIGKILL after 10 s) and delete the data. Idempotent. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Start etcd and resolve once every member reports healthy. */
export async function startEtcd(opts: EtcdFixtureOptions = {}): Promise<EtcdFixture> {
  if (!fs.existsSync(ETCD_BIN)) {
    throw new Error(
      `etcd binary not found at ${ETCD_BIN}: the etcd storage tests need a real etcd v3 server. ` +
        `Install it (Debian: apt-get install etcd-server) or point ETCD_BIN at one.`,
    );
  }
  installExitHook();
  // Ports are picked free and then released, so another process may grab one in between:
  // retry the whole start a few times before giving up.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOnce(opts: EtcdFixtureOptions): Promise<EtcdFixture> {
  const count = opts.members ?? 1;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kplane-etcd-'));
  const ports = await freePorts(count * 2);
  const members = Array.from({ length: count }, (_, i) => ({
    name: `m${i}`,
    clientUrl: `http://127.0.0.1:${ports[2 * i]}`,
    peerUrl: `http://127.0.0.1:${ports[2 * i + 1]}`,
    dataDir: path.join(dir, `m${i}`),
    logFile: path.join(dir, `m${i}.log`),
  }));
  const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
  const token = `kplane-test-${randomBytes(4).toString('hex')}`;
  const envArgs = (process.env['KPLANE_ETCD_EXTRA_ARGS'] ?? '').split(/\s+/).filter(Boolean);
  const started: EtcdMember[] = members.map((m) => {
    const log = fs.openSync(m.logFile, 'a');
    const child = spawn(
      ETCD_BIN,
      [
        `--name=${m.name}`,
        `--data-dir=${m.dataDir}`,
        `--listen-client-urls=${m.clientUrl}`,
        `--advertise-client-urls=${m.clientUrl}`,
        `--listen-peer-urls=${m.peerUrl}`,
        `--initial-advertise-peer-urls=${m.peerUrl}`,
        `--initial-cluster=${initialCluster}`,
        `--initial-cluster-token=${token}`,
        '--initial-cluster-state=new',
        `--experimental-watch-progress-notify-interval=${opts.progressNotifyInterval ?? '250ms'}`,
        '--logger=zap',
        '--log-level=warn',
        ...(opts.extraArgs ?? []),
        ...envArgs,
      ],
      { stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    running.add(child);
    child.once('exit', () => running.delete(child));
    return { ...m, process: child };
  });

  let stopping: Promise<void> | undefined;
  const fixture: EtcdFixture = {
    endpoints: started.map((m) => m.clientUrl),
    members: started,
    dir,
    killMember: async (index) => {
      const m = started[index];
      if (m) await terminate(m.process, 'SIGKILL');
    },
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all(started.map((m) => terminate(m.process, 'SIGTERM')));
        fs.rmSync(dir, { recursive: true, force: true });
      })()),
    [Symbol.asyncDispose]: () => fixture.stop(),
  };
  try {
    await waitHealthy(started, opts.startTimeoutMs ?? 60_000);
  } catch (err) {
    const logs = started.map((m) => `--- ${m.name} ---\n${tail(m.logFile)}`).join('\n');
    await fixture.stop();
    throw new Error(`etcd did not become healthy: ${(err as Error).message}\n${logs}`);
  }
  return fixture;
}

async function waitHealthy(members: EtcdMember[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const m of members) {
    for (;;) {
      if (m.process.exitCode !== null || m.process.signalCode !== null) throw new Error(`${m.name} exited`);
      try {
        const res = await fetch(`${m.clientUrl}/health`, { signal: AbortSignal.timeout(2000) });
        const body = (await res.json()) as { health?: string };
        if (body.health === 'true') break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${m.name} not healthy within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Reserve n distinct free loopback ports (bound together so they differ, then released). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers run synchronously, which kill() is: nothing outlives a crashed test.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
