// Shared set-up for the benchmarks that need a populated kplane: start the server, create
// workspaces under root and wait for them to be Ready, create SyncTargets spread over them
// through the API with bounded concurrency. Everything goes through the public API, exactly
// as a tenant would, so the set-up itself exercises the same paths that are measured.
import { readFileSync } from 'node:fs';
import { ClusterClient, type SyncTarget } from '../../pkg/client/index.ts';
import { binaryMain, startKplane as startKplaneEntry, type Kplane, type StartOptions } from '../../test/framework/kplane.ts';

export type { Kplane };

/**
 * A kplane as `npm start` runs it: through the bin launcher, so the compiled dist/ (`npm run
 * bench` builds it first) on the allocator the launcher picks (jemalloc when the system has
 * it): memory and start-up figures are those of the default process, not of type stripping.
 * Its log goes to a file in its root dir, read only when `logs` is asked for: a harness that
 * parsed every request line off a pipe took ~6 % of a core from the server it measured, and
 * the server's write to a full pipe waits for that reader.
 */
export function startKplane(opts: StartOptions = {}): Promise<Kplane> {
  return startKplaneEntry({ entry: 'launcher', log: 'file', ...opts });
}

/** The compiled main module of a binary in cmd/ (see startKplane). */
export function distMain(binary: string): string {
  return binaryMain(binary, 'dist');
}

/** Run fn(i) for i in [0, n) with at most `concurrency` in flight; rejects on the first failure. */
export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** The storage's current revision: a list's resourceVersion (both backends count every write). */
export async function storageRevision(client: ClusterClient): Promise<number> {
  const list = await client.wildcard().syncTargets().list({ limit: 1 });
  return Number(list.metadata.resourceVersion);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll until check() says done (or throw after timeoutMs with its last reason). */
export async function waitFor(what: string, check: () => Promise<[boolean, string]> | [boolean, string], timeoutMs = 120_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const [ok, why] = await check();
    if (ok) return;
    last = why;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${last}`);
    await sleep(everyMs);
  }
}

export function workspaceNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `bench-${String(i).padStart(3, '0')}`);
}

/** Create workspaces root:<name> and wait until every one is Ready; returns their paths. */
export async function createWorkspaces(client: ClusterClient, names: readonly string[]): Promise<string[]> {
  const ws = client.cluster('root').workspaces();
  await pool(names.length, 8, (i) => ws.create({ apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: names[i]! } }));
  const wanted = new Set(names);
  await waitFor('workspaces Ready', async () => {
    const list = await ws.list();
    const ready = list.items.filter((w) => wanted.has(w.metadata.name ?? '') && w.status?.phase === 'Ready').length;
    return [ready === names.length, `${ready}/${names.length} Ready`];
  });
  return names.map((n) => `root:${n}`);
}

/** A valid SyncTarget (cells and cluster set) named st-<i>. */
export function syncTargetObject(i: number): SyncTarget {
  return {
    apiVersion: 'workload.kcp.io/v1alpha1',
    kind: 'SyncTarget',
    metadata: { name: `st-${i}` },
    spec: { cluster: `phys-${i}`, cells: { region: 'bench' }, capacity: { cpu: '64', memory: '256Gi', pods: '110' } },
  };
}

export interface CreatedTarget {
  cluster: string;
  name: string;
}

/** Create `total` SyncTargets round-robin over `clusters`; returns where each one went. */
export async function createSyncTargets(client: ClusterClient, clusters: readonly string[], total: number, concurrency = 32, offset = 0): Promise<CreatedTarget[]> {
  const out: CreatedTarget[] = [];
  await pool(total, concurrency, async (k) => {
    const i = k + offset;
    const cluster = clusters[i % clusters.length]!;
    await client.cluster(cluster).syncTargets().create(syncTargetObject(i));
    out.push({ cluster, name: `st-${i}` });
  });
  return out;
}

/** Print progress to stderr (stdout carries the table). */
export function progress(msg: string): void {
  process.stderr.write(`  ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

/** A numeric `--name value` (or `--name=value`) from argv, else the default: lets a run pick its own size. */
export function numberArg(name: string, fallback: number, argv: readonly string[] = process.argv.slice(2)): number {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got ${raw}`);
  return n;
}

/** A `--name "<a b c>"` (or `--name=<…>`) list of flags from argv, split on spaces; [] when absent. */
export function flagListArg(name: string, argv: readonly string[] = process.argv.slice(2)): string[] {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return [];
  const raw = argv[i]!.includes('=') ? argv[i]!.slice(argv[i]!.indexOf('=') + 1) : argv[i + 1];
  if (!raw) throw new Error(`--${name} needs a value`);
  return raw.split(/\s+/).filter(Boolean);
}

/**
 * `--server-node-options "<opts>"`: Node options for the kplane process(es) a benchmark starts,
 * e.g. `--server-node-options "--cpu-prof --cpu-prof-dir=/tmp/prof"` to profile the server
 * under the benchmark's load (summarise with hack/profile/summarize.ts). Split on spaces.
 */
export function serverNodeArgs(argv: readonly string[] = process.argv.slice(2)): string[] {
  return flagListArg('server-node-options', argv);
}

/** CPU time (user + system) the process has used so far: a per-request cost that CPU contention from other work inflates far less than wall time. */
export function processCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;
