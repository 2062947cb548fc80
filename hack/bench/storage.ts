// Storage write benchmark: the SQLite backend against a bare node:sqlite insert loop with
// the same pragmas, in one run on this machine, so the ratio says what the backend costs.
//   npx node hack/bench/storage.ts [--quick]     (default run < 60 s, --quick < 10 s)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteStorage, type SqliteStorage } from '../../pkg/storage/sqlite/index.ts';
import { applyPragmas, createSchema, type SynchronousMode } from '../../pkg/storage/sqlite/schema.ts';
import type { StoredObject } from '../../pkg/storage/interface.ts';
import { formatMs, formatRate, formatRatio, formatTable, parseBenchArgs, runLoad, runSyncLoop, type LatencyStats } from './lib.ts';

const { quick } = parseBenchArgs();
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

interface Scenario {
  prepare?: (s: SqliteStorage) => Promise<void>;
  run: (s: SqliteStorage) => Promise<LatencyStats>;
}

async function withStorage(synchronous: SynchronousMode, scenario: Scenario, name: string): Promise<Row> {
  const dir = tempDir();
  const storage = await openSqliteStorage({ dir, synchronous });
  try {
    await scenario.prepare?.(storage);
    const before = storage.commitStats;
    const stats = await scenario.run(storage);
    const after = storage.commitStats;
    const txns = after.batches - before.batches;
    return { name, stats, perTxn: txns > 0 ? (after.writes - before.writes) / txns : 0 };
  } finally {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const creates = (concurrency: number): Scenario => ({
  run: (s) => runLoad((i) => s.create(`${PREFIX}st-${i}`, syncTarget(`st-${i}`, i)), { concurrency, durationMs: PHASE_MS, warmupMs: WARMUP_MS }),
});

async function seed(s: SqliteStorage): Promise<void> {
  await Promise.all(Array.from({ length: UPDATE_KEYS }, (_, i) => s.create(`${PREFIX}hb-${i}`, syncTarget(`hb-${i}`, 0))));
}

const updates = (concurrency: number): Scenario => ({
  prepare: seed,
  run: (s) =>
    runLoad((i) => s.update(`${PREFIX}hb-${i % UPDATE_KEYS}`, syncTarget(`hb-${i % UPDATE_KEYS}`, i + 1)), {
    concurrency,
    durationMs: PHASE_MS,
      warmupMs: WARMUP_MS,
    }),
});

const guaranteedUpdates = (concurrency: number): Scenario => ({
  prepare: seed,
  run: (s) =>
    runLoad(
    (i) =>
      s.guaranteedUpdate(`${PREFIX}hb-${i % UPDATE_KEYS}`, (cur) => ({
        ...cur,
        status: { ...(cur['status'] as object), lastSyncerHeartbeatTime: new Date(1_735_689_600_000 + i * 1000).toISOString() },
      })),
      { concurrency, durationMs: PHASE_MS, warmupMs: WARMUP_MS },
    ),
});

async function main(): Promise<void> {
  console.log(`storage write benchmark (${quick ? 'quick' : 'full'}; ${PHASE_MS} ms per row; ${os.cpus().length} CPUs; node ${process.version})`);
  const rows: Row[] = [];
  const add = (row: Row) => {
    rows.push(row);
    console.error(`  done: ${row.name}`);
  };
  add(bareInsertLoop('full'));
  add(await withStorage('full', creates(1), 'sqlite create, 1 writer'));
  add(await withStorage('full', creates(16), 'sqlite create, 16 writers'));
  add(await withStorage('full', updates(1), 'sqlite update, 1 writer'));
  add(await withStorage('full', updates(16), 'sqlite update, 16 writers'));
  add(await withStorage('full', guaranteedUpdates(16), 'sqlite guaranteedUpdate, 16 writers'));
  if (!quick) {
    add(bareInsertLoop('normal'));
    add(await withStorage('normal', creates(16), 'sqlite create, 16 writers (normal)'));
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

await main();
