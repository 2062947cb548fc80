// Durability: every write the SQLite backend acknowledged survives kill -9 of its process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteStorage } from '../../../pkg/storage/sqlite/index.ts';

const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const ACKS_BEFORE_KILL = 1500;

/** Run the writer until it has acknowledged `acks` writes, SIGKILL it, return every acknowledged key→RV. */
async function writeThenKill(dir: string, round: number, acks: number, fsync: FsyncMode): Promise<Map<string, number>> {
  const child = spawn(process.execPath, [WRITER, dir, String(round), fsync], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked = new Map<string, number>();
  let partial = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? ''; // a torn last line was not fully acknowledged to us: ignore it
    for (const line of lines) {
      const [key, rv] = line.split(' ');
      if (key && rv) acked.set(key, Number(rv));
    }
    if (acked.size >= acks) child.kill('SIGKILL');
  });
  const signal = await exited;
  assert.equal(signal, 'SIGKILL', `writer exited on its own before the kill: ${stderr}`);
  return acked;
}

type FsyncMode = 'commit' | 'thread-pool';

for (const fsync of ['commit', 'thread-pool'] as const) {
  test(`every acknowledged write survives kill -9, across two crash/recover rounds (fsync: ${fsync})`, { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kplane-crash-'));
    try {
      const all = new Map<string, number>();
      for (let round = 0; round < 2; round++) {
        const acked = await writeThenKill(dir, round, ACKS_BEFORE_KILL, fsync);
        assert.ok(acked.size >= ACKS_BEFORE_KILL);
        for (const [k, v] of acked) all.set(k, v);

        const storage = await openSqliteStorage({ dir, fsync });
        try {
          const maxAcked = Math.max(...all.values());
          assert.ok((await storage.currentRevision()) >= maxAcked, 'revision counter recovered');
          const list = await storage.list('/registry/crash.kplane.io/things/root/');
          const stored = new Map(list.items.map((o) => [String(o.metadata?.['name']), Number(o.metadata?.['resourceVersion'])]));
          const missing = [...all].filter(([key, rv]) => stored.get(key.slice(key.lastIndexOf('/') + 1)) !== rv);
          assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged writes lost or changed`);
          // Revisions keep increasing after recovery.
          const next = await storage.create('/registry/crash.kplane.io/things/root/after', { metadata: { name: `after-${round}` } });
          assert.ok(Number(next.metadata?.['resourceVersion']) > maxAcked);
          await storage.delete('/registry/crash.kplane.io/things/root/after');
        } finally {
          await storage.close();
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
