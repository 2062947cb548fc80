// kplane-syncer: the agent for one SyncTarget. Waits for it, checks its uid, heartbeats.
// Exit codes: 0 stopped by SIGTERM/SIGINT, 1 fatal (uid mismatch, unusable kubeconfig), 2 usage.
import { parseFlags, runMain, usage, UsageError } from '../../pkg/options/flags.ts';
import { MissingClusterError, runSyncer } from '../../pkg/syncer/agent.ts';
import { UidMismatchError } from '../../pkg/syncer/synctarget-access.ts';
import { SYNCER_FLAGS, syncerOptionsSchema } from '../../pkg/syncer/options.ts';
import { buildSyncerContainer, SYNCER_TYPES } from './container.ts';
import { IdleMemoryReducer } from '../../pkg/memory/idle-reducer.ts';
import { detectAllocator } from '../../pkg/memory/allocator.ts';

async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, SYNCER_FLAGS, syncerOptionsSchema);
  if (values.help) {
    process.stdout.write(usage('kplane-syncer', 'Heartbeat a SyncTarget in kplane on behalf of a physical cluster.', SYNCER_FLAGS) + '\n');
    return 0;
  }
  const container = buildSyncerContainer(values, process.env);
  const logger = container.get(SYNCER_TYPES.Logger);
  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      logger.info('stopping', { signal: sig });
      stop.abort();
    });
  }
  // A syncer runs on the physical cluster, often with a tight memory limit: the memory of its
  // initial sync goes back once it is quiet.
  const reducer = values['reduce-idle-heap'] ? new IdleMemoryReducer({ logger, isolate: 'syncer' }) : undefined;
  reducer?.start();
  // Which malloc the process runs on (the image and the launcher preload jemalloc): RSS reads differently.
  logger.info('kplane-syncer starting', { allocator: detectAllocator() });
  try {
    await runSyncer(
      container.get(SYNCER_TYPES.Config),
      stop.signal,
    );
    return 0;
  } catch (err) {
    if (err instanceof MissingClusterError) throw new UsageError(err.message);
    if (err instanceof UidMismatchError) {
      logger.error('refusing to run', { error: err.message, expectedUid: err.expected, actualUid: err.actual });
      process.stderr.write(`error: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    reducer?.stop();
  }
}

runMain(main);
