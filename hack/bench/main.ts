// The one entry point of the benchmark suite:
//   npm run bench -- <name> [--quick]        e.g. npm run bench -- watch --quick
//   npm run bench -- all [--quick]           every benchmark, one after another
// Each benchmark runs in its own child process (same Node, --expose-gc so heap figures come
// from a collected heap), prints a table and a one-line summary, and writes JSON + SVG under
// bench-results/. Benchmarks report numbers; they never fail on them.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface BenchEntry {
  file: string;
  what: string;
}

export const BENCHMARKS: Record<string, BenchEntry> = {
  storage: { file: 'storage.ts', what: 'SQLite storage writes vs a bare node:sqlite insert loop' },
  heartbeat: { file: 'heartbeat.ts', what: 'heartbeat PATCH ingest vs a bare node:https server' },
  informer: { file: 'informer.ts', what: 'shared informer sync, heap per cached object, event latency vs raw list+watch' },
  reconcile: { file: 'reconcile.ts', what: 'SyncTarget cold start, writes per idle reconcile, staleness detection latency' },
  watch: { file: 'watch.ts', what: 'watch fan-out: 1,000 watchers over 100 workspaces vs a bare node:http broadcaster' },
  scale: { file: 'scale.ts', what: '10,000 SyncTargets over 100 workspaces by 16 clients: time to reconciled, writes, RSS, restart, staleness vs a 1-write floor' },
  memory: { file: 'memory.ts', what: 'kplane server memory per SyncTarget' },
  sync: { file: 'sync.ts', what: 'resource sync: 1,000 Deployments / 100 namespaces / 10 SyncTargets: create→downstream and status→upstream p50/p99 at 100/s, burst vs a bare copy loop, heap per object' },
  availability: { file: 'availability.ts', what: 'soak: tricklers, non-reading watchers, amplifying patches, 1,000 watches; ordinary p99 and peak RSS' },
};

function usage(): string {
  const names = Object.entries(BENCHMARKS).map(([n, b]) => `  ${n.padEnd(10)} ${b.what}`);
  return ['usage: npm run bench -- <name|all> [--quick]', '', ...names, ''].join('\n');
}

/** Run one benchmark as a child process with the given args; resolves to its exit code. */
export function runBenchmark(name: string, args: readonly string[]): Promise<number> {
  const entry = BENCHMARKS[name];
  if (!entry) throw new Error(`unknown benchmark "${name}"`);
  const child = spawn(process.execPath, ['--expose-gc', path.join(import.meta.dirname, entry.file), ...args], { stdio: 'inherit' });
  // Forward Ctrl-C so the child's kplane fixtures get to clean up.
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

async function main(argv: string[]): Promise<number> {
  const name = argv.find((a) => !a.startsWith('-'));
  const args = argv.filter((a) => a !== name);
  if (!name || name === 'help' || argv.includes('--help')) {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const names = name === 'all' ? Object.keys(BENCHMARKS) : [name];
  if (!names.every((n) => n in BENCHMARKS)) {
    process.stderr.write(`unknown benchmark "${name}"\n\n${usage()}`);
    return 2;
  }
  let worst = 0;
  for (const n of names) {
    process.stdout.write(`\n=== bench ${n}${args.length ? ' ' + args.join(' ') : ''} ===\n`);
    const code = await runBenchmark(n, args);
    if (code !== 0) process.stderr.write(`bench ${n} exited with ${code}\n`);
    worst = Math.max(worst, code);
  }
  return worst;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
