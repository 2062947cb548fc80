// kplane-syncer: the agent for one SyncTarget. Waits for it, checks its uid, heartbeats.
// Exit codes: 0 stopped by SIGTERM/SIGINT, 1 fatal (uid mismatch, unusable kubeconfig), 2 usage.
import { newLogger } from '../../pkg/log/logger.ts';
import { parseFlags, runMain, usage, UsageError } from '../../pkg/options/flags.ts';
import { MissingClusterError, runSyncer } from '../../pkg/syncer/agent.ts';
import { UidMismatchError } from '../../pkg/syncer/synctarget-access.ts';
import { syncerClockFromEnv } from '../../pkg/syncer/clock.ts';
import { SYNCER_FLAGS, syncerOptionsSchema } from '../../pkg/syncer/options.ts';

async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, SYNCER_FLAGS, syncerOptionsSchema);
  if (values.help) {
    process.stdout.write(usage('kplane-syncer', 'Heartbeat a SyncTarget in kplane on behalf of a physical cluster.', SYNCER_FLAGS) + '\n');
    return 0;
  }
  const logger = newLogger({ format: values['log-format'], level: values['log-level'] });
  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      logger.info('stopping', { signal: sig });
      stop.abort();
    });
  }
  try {
    await runSyncer(
      {
        kubeconfigPath: values['from-kubeconfig']!,
        cluster: values['from-cluster'],
        syncTargetName: values['sync-target-name']!,
        syncTargetUid: values['sync-target-uid'],
        heartbeatPeriodMs: values['heartbeat-period'],
        capacity: values.capacity,
        physicalKubeconfigPath: values['to-kubeconfig'],
        resources: values.resources,
        capacityRefreshMs: values['capacity-refresh-period'],
        // Hidden, for end-to-end tests of clock skew only (see syncerClockFromEnv).
        clock: syncerClockFromEnv(process.env),
        logger,
      },
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
  }
}

runMain(main);
