// `kplane controllers --kubeconfig FILE`: the controllers as a separate process against a
// running kplane, reaching it only through the API (the same code `kplane start` runs
// in-process). The kubeconfig's identity must be privileged (wildcard list/watch).
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { newLogger } from '../../pkg/log/logger.ts';
import { parseDuration } from '../../pkg/options/duration.ts';
import { type FlagSpec, parseFlags, usage } from '../../pkg/options/flags.ts';
import { ControllerManager, enabledControllers } from '../../pkg/reconciler/manager.ts';
import { IdleMemoryReducer } from '../../pkg/memory/idle-reducer.ts';
import { detectAllocator } from '../../pkg/memory/allocator.ts';
import { SHARED_CONTROLLER_FLAGS, sharedControllerOptions } from './options.ts';
import { newControllerLeaderElection } from './leader-election.ts';

export const CONTROLLERS_FLAGS: Record<string, FlagSpec> = {
  kubeconfig: { type: 'string', description: 'kubeconfig of a privileged identity on the kplane server (required)' },
  controllers: { type: 'string', description: 'controllers to run: * (all) or a comma-separated list', default: '*' },
  ...SHARED_CONTROLLER_FLAGS,
};

const schema = z.object({
  kubeconfig: z.string().min(1).optional(),
  controllers: z.string().refine((s) => { try { return enabledControllers(s).length > 0; } catch { return false; } }, { message: 'must be * or a list of known controllers' }).default('*'),
  ...sharedControllerOptions,
});

export async function runControllers(argv: string[]): Promise<number> {
  const { values: o } = parseFlags(argv, CONTROLLERS_FLAGS, schema);
  if (o.help) {
    process.stdout.write(usage('kplane controllers', 'Run kplane controllers against a kplane server.', CONTROLLERS_FLAGS) + '\n');
    return 0;
  }
  if (!o.kubeconfig) {
    process.stderr.write('error: --kubeconfig is required\n');
    return 2;
  }
  const logger = newLogger({ format: o['log-format'], level: o['log-level'] });
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(o.kubeconfig);
  const cluster = kubeconfig.getCurrentCluster();
  if (!cluster) throw new Error(`${o.kubeconfig} has no current cluster`);
  const server = new URL(cluster.server);
  const caPem = cluster.caData ? Buffer.from(cluster.caData, 'base64').toString('utf8') : cluster.caFile ? readFileSync(cluster.caFile, 'utf8') : '';
  // A manager per run: each closes its client when it stops (a new leadership term starts fresh).
  const runManager = (signal: AbortSignal) =>
    new ControllerManager({
      kubeconfig,
      logger,
      heartbeatThresholdMs: parseDuration(o['heartbeat-threshold'])!,
      evictionGraceMs: parseDuration(o['eviction-grace'])!,
      kplaneURL: server.origin,
      caPem,
      syncerImage: o['syncer-image'],
      controllers: o.controllers,
    }).run(signal);
  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => stop.abort());
  logger.info('controllers starting', { server: server.origin, controllers: enabledControllers(o.controllers), leaderElect: o['leader-elect'], allocator: detectAllocator() });
  // The same candidate over the same Lease as `kplane start` (leader-election.ts), so in-process
  // and separate controllers never run at once against one etcd-backed kplane.
  const election = newControllerLeaderElection(kubeconfig, logger);
  const reducer = o['reduce-idle-heap'] ? new IdleMemoryReducer({ logger, isolate: 'controllers' }) : undefined;
  reducer?.start();
  await (o['leader-elect'] ? election.run(stop.signal, runManager) : election.runUnelected(stop.signal, runManager));
  reducer?.stop();
  logger.info('controllers stopped');
  return 0;
}
