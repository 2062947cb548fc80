// etcd pieces shared by the benchmarks that take `--storage`:
//   --storage sqlite (default)   SQLite only, exactly as before
//   --storage both | etcd        the same scenarios against SQLite, kplane's etcd backend and a
//                                raw etcd3 put loop, side by side in one table
// plus a throwaway etcd (the integration tests' fixture) and a teardown registry, so every
// etcd and kplane a benchmark starts is stopped on errors and on Ctrl-C / SIGTERM too.
import { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdFixture } from '../../test/integration/storage/etcd-fixture.ts';

export type StorageChoice = 'sqlite' | 'both';

/** `--storage X` or `--storage=X`; 'etcd' means 'both' (etcd figures are only read next to SQLite's). */
export function parseStorageArg(argv: readonly string[] = process.argv.slice(2)): StorageChoice {
  const i = argv.findIndex((a) => a === '--storage' || a.startsWith('--storage='));
  if (i < 0) return 'sqlite';
  const raw = argv[i]!.includes('=') ? argv[i]!.slice('--storage='.length) : argv[i + 1];
  if (raw === 'sqlite') return 'sqlite';
  if (raw === 'etcd' || raw === 'both') return 'both';
  throw new Error(`--storage takes sqlite, etcd or both, got ${raw ?? '(nothing)'}`);
}

// --- teardown on interrupt ---------------------------------------------------------------
const cleanups = new Set<() => Promise<unknown>>();
let signalsInstalled = false;

/**
 * Run `cleanup` if the benchmark is interrupted (SIGINT/SIGTERM) before the returned
 * function is called. Normal and error paths still clean up in their own `finally`; this
 * only covers signals, which would otherwise end Node without running those blocks and
 * leave kplane children (which do not watch their parent) running.
 */
export function cleanupOnInterrupt(cleanup: () => Promise<unknown>): () => void {
  installSignalHandlers();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function installSignalHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return; // a second Ctrl-C while cleaning up: keep cleaning up
    interrupted = true;
    process.stderr.write(`\n${sig}: stopping what the benchmark started\n`);
    // Bounded: a wedged child must not keep the benchmark alive forever (the etcd fixture's
    // exit hook SIGKILLs its members in any case).
    const deadline = new Promise((r) => setTimeout(r, 20_000).unref());
    void Promise.race([Promise.allSettled([...cleanups].map((c) => c())), deadline]).then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

// --- etcd ----------------------------------------------------------------------------------

/** A one-member etcd on free loopback ports (fsync on, like production), stopped on interrupt too. */
export async function startBenchEtcd(): Promise<EtcdFixture> {
  process.stderr.write('starting etcd\n');
  const etcd = await startEtcd({ members: 1, progressNotifyInterval: '5s' });
  const forget = cleanupOnInterrupt(() => etcd.stop());
  const stop = etcd.stop;
  return {
    ...etcd,
    stop: async () => {
      forget();
      await stop();
    },
    [Symbol.asyncDispose]: async () => {
      forget();
      await stop();
    },
  };
}

/** The baseline for the etcd backend: bare etcd3 puts, no transaction, no read, no JSON work. */
export class RawEtcdPuts {
  readonly #client: Etcd3;

  constructor(endpoints: string[]) {
    this.#client = new Etcd3({ hosts: endpoints });
  }

  put(key: string, value: Buffer): Promise<unknown> {
    return this.#client.put(key).value(value).exec();
  }

  close(): void {
    this.#client.close();
  }
}
