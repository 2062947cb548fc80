// Smoke tests of the soak tool: a ~10 s run with small counts against its own kplane, and a
// run against a given kplane that is killed midway (the one case that must exit non-zero).
// Nothing here depends on timing: only on counts being reported and on the exit code.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { startKplane } from '../../test/framework/kplane.ts';
import { requireLoopback } from './client.ts';
import type { SoakReport } from './report.ts';
import { parseProcStatus, readProcMemory } from './rss.ts';

const SMALL = ['--tricklers', '4', '--watches', '20', '--stuck-watchers', '1', '--patch-rounds', '2', '--copies', '4', '--value-kib', '16', '--big-updates', '3', '--big-kib', '64'];

/** Run hostile.ts; `onLine` sees each stderr line (progress). */
function runSoak(args: string[], onLine: (line: string) => void = () => {}): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'hostile.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  createInterface({ input: child.stderr }).on('line', onLine);
  const kill = setTimeout(() => child.kill('SIGKILL'), 240_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout });
    }),
  );
}

describe('soak tool', () => {
  test('a short run against its own kplane reports the normal client, every hostile client and peak RSS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kplane-soak-test-'));
    try {
      const json = join(dir, 'report.json');
      const r = await runSoak(['--duration', '10', ...SMALL, '--json', json]);
      assert.equal(r.code, 0, r.stdout);
      const report = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
      assert.equal(report.crashed, '');
      assert.ok(report.normal.count >= 1, 'the normal client ran at least one round');
      assert.equal(typeof report.normal.errors, 'number');
      assert.ok(report.normal.p99Ms >= report.normal.p50Ms);
      assert.ok((report.rss?.peakKiB ?? 0) > 0, 'peak RSS read from /proc');
      for (const [name, t] of Object.entries(report.hostile)) assert.ok(t.opened >= 1, `${name} ran`);
      assert.match(r.stdout, /normal client: \d+ requests .* p99 [\d.]+ ms/);
      assert.match(r.stdout, /server RSS: .* peak \d+ MiB/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a server that dies during the soak makes it exit non-zero', async () => {
    await using kp = await startKplane();
    const dir = mkdtempSync(join(tmpdir(), 'kplane-soak-test-'));
    try {
      const ca = join(dir, 'ca.crt');
      writeFileSync(ca, kp.caPem);
      const args = ['--url', kp.url, '--token', kp.adminToken, '--ca-file', ca, '--pid', String(kp.process.pid), '--duration', '8', ...SMALL];
      // Kill the server once the soak says it has started.
      const r = await runSoak(args, (line) => {
        if (line.includes('soak:')) kp.process.kill('SIGKILL');
      });
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /CRASHED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('only loopback targets; /proc parsing', () => {
    assert.throws(() => requireLoopback('https://10.0.0.1:6443'));
    assert.throws(() => requireLoopback('http://127.0.0.1:6443'));
    assert.equal(requireLoopback('https://127.0.0.1:6443').port, '6443');
    assert.deepEqual(parseProcStatus('Name:\tnode\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n'), { rssKiB: 1024, hwmKiB: 2048 });
    assert.equal(parseProcStatus('Name:\tnode\nState:\tZ (zombie)\n'), undefined);
    assert.ok((readProcMemory(process.pid)?.rssKiB ?? 0) > 0);
  });
});
