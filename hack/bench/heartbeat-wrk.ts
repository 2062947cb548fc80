// The heartbeat row of issue 15 as the issue measured it: wrk (1 thread, 32 connections) sends
// status merge-patches rotating over 200 SyncTargets (a Lua script) to a default `kplane
// start` and to a bare node:https server (same certificate, same requests, the reply a
// SyncTarget-sized object) in the same run, in interleaved rounds whose medians are reported.
// Used by heartbeat.ts when `wrk` is on PATH.
// A second row renews heartbeat Leases instead (KEP-589; kplane-syncer --heartbeat-lease).
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WRK_TARGETS = 200;
export const WRK_CONNECTIONS = 32;

/** The wrk binary on PATH, or undefined. */
export function findWrk(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface WrkResult {
  requests: number;
  durationS: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers plus connect/read/write/timeout errors. */
  errors: number;
}

/**
 * A wrk Lua script: PATCHes of `contentType` as the admin; `setup` declares the round-robin
 * tables, `request` is the body of wrk's request() (it returns wrk.format(…)); done() prints one
 * JSON line for runWrk.
 */
function luaScript(token: string, contentType: string, setup: string, request: string): string {
  return `
${setup}
local i = 0
wrk.method = "PATCH"
wrk.headers["Content-Type"] = "${contentType}"
wrk.headers["Authorization"] = "Bearer ${token}"
wrk.headers["Accept"] = "application/json"
request = function()
${request}
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
`;
}

/**
 * The Lua script: each request PATCHes the status of the next of `names` (round robin) with
 * a fresh lastSyncerHeartbeatTime, as a syncer does.
 */
export function wrkScript(token: string, cluster: string, names: readonly string[]): string {
  return luaScript(
    token,
    'application/merge-patch+json',
    `local names = { ${names.map((n) => `"${n}"`).join(', ')} }`,
    `  i = (i % #names) + 1
  local body = '{"status":{"lastSyncerHeartbeatTime":"' .. os.date("!%Y-%m-%dT%H:%M:%SZ") .. '"}}'
  return wrk.format(nil, "/clusters/${cluster}/apis/workload.kcp.io/v1alpha1/synctargets/" .. names[i] .. "/status", nil, body)`,
  );
}

/** Run wrk for durationS against url with the script; resolves to its JSON summary. */
export async function runWrk(wrk: string, url: string, scriptFile: string, durationS: number): Promise<WrkResult> {
  const child = spawn(wrk, ['-t1', `-c${WRK_CONNECTIONS}`, `-d${durationS}s`, '--latency', '-s', scriptFile, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const line = /WRK_RESULT (\{.*\})/.exec(out)?.[1];
  if (code !== 0 || !line) throw new Error(`wrk exited ${code}:\n${out}`);
  const j = JSON.parse(line) as { requests: number; durationUs: number; p50Us: number; p99Us: number; errors: number };
  const measuredS = j.durationUs / 1e6;
  return { requests: j.requests, durationS: measuredS, perSecond: j.requests / measuredS, p50Ms: j.p50Us / 1000, p99Ms: j.p99Us / 1000, errors: j.errors };
}

export function writeScript(dir: string, token: string, cluster: string, names: readonly string[]): string {
  const file = join(dir, 'heartbeat-wrk.lua');
  writeFileSync(file, wrkScript(token, cluster, names), { mode: 0o600 });
  return file;
}

/** A heartbeat Lease as the syncer renews it (pkg/syncer/lease.ts): where it is and its uid. */
export interface WrkLease {
  namespace: string;
  name: string;
  uid: string;
}

/**
 * The Lua script of the Lease row: each request renews the next Lease (round robin) exactly as
 * kplane-syncer --heartbeat-lease does, a JSON Patch testing the Lease's uid and setting
 * spec.renewTime.
 */
export function leaseWrkScript(token: string, cluster: string, leases: readonly WrkLease[]): string {
  return luaScript(
    token,
    'application/json-patch+json',
    `local paths = { ${leases.map((l) => `"/clusters/${cluster}/apis/coordination.k8s.io/v1/namespaces/${l.namespace}/leases/${l.name}"`).join(', ')} }
local uids = { ${leases.map((l) => `"${l.uid}"`).join(', ')} }`,
    `  i = (i % #paths) + 1
  local now = os.date("!%Y-%m-%dT%H:%M:%S") .. string.format(".%06dZ", math.random(0, 999999))
  local body = '[{"op":"test","path":"/metadata/uid","value":"' .. uids[i] .. '"},{"op":"add","path":"/spec/renewTime","value":"' .. now .. '"}]'
  return wrk.format(nil, paths[i], nil, body)`,
  );
}

export function writeLeaseScript(dir: string, token: string, cluster: string, leases: readonly WrkLease[]): string {
  const file = join(dir, 'heartbeat-lease-wrk.lua');
  writeFileSync(file, leaseWrkScript(token, cluster, leases), { mode: 0o600 });
  return file;
}

/**
 * The median of xs (the mean of the middle two for an even count). The wrk rows are measured in
 * interleaved rounds and each figure reported is its median over the rounds: on a shared 2-core
 * machine one 15 s window per row drifted by up to 40 % between runs of the same build, and a
 * slow patch of the machine fell on one row only, skewing its ratio to bare.
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One row's rounds in one: each figure's median, errors summed. */
export function medianResult(rounds: readonly WrkResult[]): WrkResult {
  const of = (f: (r: WrkResult) => number) => median(rounds.map(f));
  return {
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    durationS: rounds.reduce((n, r) => n + r.durationS, 0),
    perSecond: of((r) => r.perSecond),
    p50Ms: of((r) => r.p50Ms),
    p99Ms: of((r) => r.p99Ms),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
  };
}
