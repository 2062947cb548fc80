// Storage write benchmark: the SQLite backend against a bare node:sqlite insert loop with
// the same pragmas, in one run on this machine, so the ratio says what the backend costs.
// With `--storage both` (or `etcd`) every scenario also runs against kplane's etcd backend
// and a raw etcd3 put loop at the same concurrency, on a throwaway one-member etcd, and one
// table puts the three side by side.
//   npx node hack/bench/storage.ts [--quick] [--storage sqlite|both]
//   (SQLite only: default run < 60 s, --quick < 10 s; both: < 2 min, --quick < 30 s)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openEtcdStorage } from '../../pkg/storage/etcd/index.ts';
import { openSqliteStorage } from '../../pkg/storage/sqlite/index.ts';
import { applyPragmas, createSchema, type SynchronousMode } from '../../pkg/storage/sqlite/schema.ts';
import type { Storage, StoredObject } from '../../pkg/storage/interface.ts';
import { RawEtcdPuts, parseStorageArg, startBenchEtcd } from './etcd.ts';
import { formatMs, formatRate, formatRatio, formatTable, parseBenchArgs, runLoad, runSyncLoop, type LatencyStats } from './lib.ts';

const { quick } = parseBenchArgs();
const storageChoice = parseStorageArg();
const PHASE_MS = quick ? 800 : 5000;
const WARMUP_MS = quick ? 100 : 500;
const UPDATE_KEYS = quick ? 200 : 2000;
const PREFIX = '/registry/workload.kcp.io/synctargets/root:bench/';

/** A SyncTarget-sized object (~1 KiB), like a heartbeat write. */
function syncTarget(name: string, beat: number): StoredObject {
  return {
    apiVersion: 'workload.kcp.io/v1alpha1',
    kind: 'SyncTarget',
    metadata: {
      name,
      uid: `0f8fad5b-d9cb-469f-a165-70867728${String(beat % 10000).padStart(4, '0')}`,
      annotations: { 'kcp.io/cluster': 'root:bench' },
      labels: { 'internal.workload.kcp.io/key': 'aPXkBdRsTD8gXESO47r9qXmkr2kaG5qaox5C8r' },
      creationTimestamp: '2025-01-01T00:00:00Z',
      generation: 1,
    },
    spec: { cluster: `phys-${name}`, capacity: { cpu: '64', memory: '256Gi', pods: '110' }, syncer: { heartbeatPeriod: '20s' } },
    status: {
      phase: 'Ready',
      lastSyncerHeartbeatTime: new Date(1_735_689_600_000 + beat * 1000).toISOString(),
      conditions: ['Valid', 'SyncerDeployed', 'HeartbeatHealthy', 'Ready'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: '2025-01-01T00:00:00Z',
        reason: 'AsExpected',
      })),
    },
  };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kplane-bench-'));
}

interface Row {
  name: string;
  stats: LatencyStats;
  perTxn?: number;
}

/** Bare baseline: same pragmas and table, one INSERT + COMMIT per write, no JSON work. */
function bareInsertLoop(synchronous: SynchronousMode): Row {
  const dir = tempDir();
  const db = new DatabaseSync(path.join(dir, 'bare.db'));
  try {
    applyPragmas(db, synchronous);
    createSchema(db);
    const value = JSON.stringify(syncTarget('bare', 0));
    const begin = db.prepare('BEGIN IMMEDIATE');
    const commit = db.prepare('COMMIT');
    const insert = db.prepare('INSERT INTO kv (name, created, deleted, create_revision, prev_revision, value) VALUES (?, 1, 0, 0, 0, ?)');
    const write = (i: number) => {
      begin.run();
      insert.run(`${PREFIX}bare-${i}`, value);
      commit.run();
    };
    runSyncLoop(write, { durationMs: WARMUP_MS });
    const stats = runSyncLoop((i) => write(i + 1e9), { durationMs: PHASE_MS });
    return { name: `bare node:sqlite insert+commit (${synchronous})`, stats, perTxn: 1 };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One write pattern, runnable against any Storage and (as plain puts) against raw etcd. */
interface Scenario {
  /** 'create, 16 writers' */
  label: string;
  concurrency: number;
  /** Create UPDATE_KEYS objects first (unmeasured). */
  seeded: boolean;
  write: (s: Storage, i: number) => Promise<unknown>;
  /** The key the raw etcd put of write i goes to. */
  rawKey: (i: number) => string;
}

const hbKey = (i: number) => `${PREFIX}hb-${i % UPDATE_KEYS}`;

const creates = (concurrency: number): Scenario => ({
  label: `create, ${writers(concurrency)}`,
  concurrency,
  seeded: false,
  write: (s, i) => s.create(`${PREFIX}st-${i}`, syncTarget(`st-${i}`, i)),
  rawKey: (i) => `${PREFIX}st-${i}`,
});

const updates = (concurrency: number): Scenario => ({
  label: `update, ${writers(concurrency)}`,
  concurrency,
  seeded: true,
  write: (s, i) => s.update(hbKey(i), syncTarget(`hb-${i % UPDATE_KEYS}`, i + 1)),
  rawKey: hbKey,
});

const guaranteedUpdates = (concurrency: number): Scenario => ({
  label: `guaranteedUpdate, ${writers(concurrency)}`,
  concurrency,
  seeded: true,
  write: (s, i) =>
    s.guaranteedUpdate(hbKey(i), (cur) => ({
      ...cur,
      status: { ...(cur['status'] as object), lastSyncerHeartbeatTime: new Date(1_735_689_600_000 + i * 1000).toISOString() },
    })),
  rawKey: hbKey,
});

function writers(n: number): string {
  return n === 1 ? '1 writer' : `${n} writers`;
}

function measure(scenario: Scenario, write: (i: number) => Promise<unknown>): Promise<LatencyStats> {
  return runLoad(write, { concurrency: scenario.concurrency, durationMs: PHASE_MS, warmupMs: WARMUP_MS });
}

async function seed(write: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < UPDATE_KEYS) await write(next++);
    }),
  );
}

async function withSqlite(synchronous: SynchronousMode, scenario: Scenario, name: string): Promise<Row> {
  const dir = tempDir();
  const storage = await openSqliteStorage({ dir, synchronous });
  try {
    if (scenario.seeded) await seed((i) => storage.create(hbKey(i), syncTarget(`hb-${i}`, 0)));
    const before = storage.commitStats;
    const stats = await measure(scenario, (i) => scenario.write(storage, i));
    const after = storage.commitStats;
    const txns = after.batches - before.batches;
    return { name, stats, perTxn: txns > 0 ? (after.writes - before.writes) / txns : 0 };
  } finally {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let etcdPrefixes = 0;

/** kplane's EtcdStorage under a fresh key prefix of the shared etcd. */
async function withEtcdStorage(endpoints: string[], scenario: Scenario): Promise<Row> {
  const storage = await openEtcdStorage({ endpoints, prefix: `/bench-${++etcdPrefixes}` });
  try {
    if (scenario.seeded) await seed((i) => storage.create(hbKey(i), syncTarget(`hb-${i}`, 0)));
    const stats = await measure(scenario, (i) => scenario.write(storage, i));
    return { name: `etcd ${scenario.label}`, stats, perTxn: 1 };
  } finally {
    await storage.close();
  }
}

/** The same keys and concurrency as plain etcd puts of a constant SyncTarget-sized value. */
async function withRawEtcd(endpoints: string[], scenario: Scenario): Promise<Row> {
  const raw = new RawEtcdPuts(endpoints);
  const prefix = `/bench-${++etcdPrefixes}`;
  const value = Buffer.from(JSON.stringify(syncTarget('raw', 0)), 'utf8');
  try {
    if (scenario.seeded) await seed((i) => raw.put(prefix + hbKey(i), value));
    const stats = await measure(scenario, (i) => raw.put(prefix + scenario.rawKey(i), value));
    return { name: `raw etcd put ${scenario.label}`, stats };
  } finally {
    raw.close();
  }
}

function progress(row: Row): Row {
  console.error(`  done: ${row.name}`);
  return row;
}

async function sqliteOnly(): Promise<void> {
  console.log(`storage write benchmark (${quick ? 'quick' : 'full'}; ${PHASE_MS} ms per row; ${os.cpus().length} CPUs; node ${process.version})`);
  const rows: Row[] = [];
  const add = (row: Row) => rows.push(progress(row));
  add(bareInsertLoop('full'));
  for (const sc of [creates(1), creates(16), updates(1), updates(16), guaranteedUpdates(16)]) add(await withSqlite('full', sc, `sqlite ${sc.label}`));
  if (!quick) {
    add(bareInsertLoop('normal'));
    add(await withSqlite('normal', creates(16), 'sqlite create, 16 writers (normal)'));
  }
  const baseline = rows[0]?.stats.perSecond ?? 0;
  console.log(
    formatTable(
      ['scenario', 'writes/s', 'vs bare', 'p50 ms', 'p99 ms', 'max ms', 'writes/txn'],
      rows.map((r) => [
        r.name,
        formatRate(r.stats.perSecond),
        formatRatio(r.stats.perSecond, baseline),
        formatMs(r.stats.p50Ms),
        formatMs(r.stats.p99Ms),
        formatMs(r.stats.maxMs),
        r.perTxn === undefined ? '-' : r.perTxn.toFixed(1),
      ]),
    ),
  );
  console.log('synchronous=full (default) fsyncs every commit; "normal" rows survive kill -9 but not power loss.');
}

async function sideBySide(): Promise<void> {
  console.log(
    `storage write benchmark, SQLite vs etcd (${quick ? 'quick' : 'full'}; ${PHASE_MS} ms per cell; ${os.cpus().length} CPUs; node ${process.version})`,
  );
  const etcd = await startBenchEtcd();
  try {
    const bare = progress(bareInsertLoop('full'));
    const table: string[][] = [];
    for (const sc of [creates(1), creates(16), updates(1), updates(16), guaranteedUpdates(16)]) {
      const sqlite = progress(await withSqlite('full', sc, `sqlite ${sc.label}`));
      const viaBackend = progress(await withEtcdStorage(etcd.endpoints, sc));
      const raw = progress(await withRawEtcd(etcd.endpoints, sc));
      table.push([
        sc.label,
        formatRate(sqlite.stats.perSecond),
        formatMs(sqlite.stats.p99Ms),
        formatRate(viaBackend.stats.perSecond),
        formatMs(viaBackend.stats.p99Ms),
        formatRate(raw.stats.perSecond),
        formatMs(raw.stats.p99Ms),
        formatRatio(viaBackend.stats.perSecond, raw.stats.perSecond),
        formatRatio(viaBackend.stats.perSecond, sqlite.stats.perSecond),
      ]);
    }
    console.log(
      formatTable(
        ['scenario', 'sqlite w/s', 'p99 ms', 'etcd w/s', 'p99 ms', 'raw put w/s', 'p99 ms', 'etcd vs raw', 'etcd vs sqlite'],
        table,
      ),
    );
    console.log(
      [
        `bare node:sqlite insert+commit (full), 1 writer: ${formatRate(bare.stats.perSecond)} writes/s, p99 ${formatMs(bare.stats.p99Ms)} ms.`,
        'sqlite: synchronous=full, concurrent writes group-committed. etcd: kplane\'s EtcdStorage (create = one txn; update and',
        'guaranteedUpdate = a read, then a txn on mod_revision). raw put: etcd3 put of a constant value to the same keys at the',
        'same concurrency (no txn, no read, no JSON). One local etcd member with fsync on, in the same 2-CPU box as the bench.',
      ].join('\n'),
    );
  } finally {
    await etcd.stop();
  }
}

if (storageChoice === 'both') await sideBySide();
else await sqliteOnly();
