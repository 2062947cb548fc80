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
import { DEFAULT_SYNCER_IMAGE } from './options.ts';
import { CONTROLLER_MANAGER_LEASE } from './leader-election.ts';
import { ClusterClient } from '../../pkg/client/clusterclient.ts';
import { ClientLeaseLock, LeaderElector, newIdentity } from '../../pkg/leaderelection/index.ts';

export const CONTROLLERS_FLAGS: Record<string, FlagSpec> = {
  kubeconfig: { type: 'string', description: 'kubeconfig of a privileged identity on the kplane server (required)' },
  'heartbeat-threshold': { type: 'string', description: 'a SyncTarget without a heartbeat for this long is not Ready', default: '60s' },
  controllers: { type: 'string', description: 'controllers to run: * (all) or a comma-separated list', default: '*' },
  'syncer-image': { type: 'string', description: 'syncer image for Deployments applied to physical clusters', default: DEFAULT_SYNCER_IMAGE },
  'leader-elect': { type: 'string', description: 'true: run controllers only while holding the controller-manager Lease (several processes may run)', default: 'true' },
  'log-format': { type: 'string', description: 'json or text', default: 'json' },
  'log-level': { type: 'string', description: 'error, warn, info or debug', default: 'info' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const schema = z.object({
  kubeconfig: z.string().min(1).optional(),
  'heartbeat-threshold': z.string().refine((s) => parseDuration(s) !== undefined, { message: 'must be a duration such as 60s' }).default('60s'),
  controllers: z.string().refine((s) => { try { return enabledControllers(s).length > 0; } catch { return false; } }, { message: 'must be * or a list of known controllers' }).default('*'),
  'syncer-image': z.string().min(1).default(DEFAULT_SYNCER_IMAGE),
  'leader-elect': z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  'log-format': z.enum(['json', 'text']).default('json'),
  'log-level': z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  help: z.boolean().optional(),
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
      kplaneURL: server.origin,
      caPem,
      syncerImage: o['syncer-image'],
      controllers: o.controllers,
    }).run(signal);
  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => stop.abort());
  logger.info('controllers starting', { server: server.origin, controllers: enabledControllers(o.controllers), leaderElect: o['leader-elect'] });
  if (!o['leader-elect']) {
    await runManager(stop.signal);
  } else {
    // The same Lease `kplane start` replicas elect over, so in-process and separate controllers
    // never run at once against one etcd-backed kplane.
    const electionClient = new ClusterClient(kubeconfig, { component: 'leader-election', timeoutMs: 5000 });
    const { cluster, namespace, name } = CONTROLLER_MANAGER_LEASE;
    const lock = new ClientLeaseLock(electionClient.cluster(cluster).leases(namespace), namespace, name);
    const elector = new LeaderElector({ lock, identity: newIdentity(), logger: logger.child({ component: 'leader-election' }) });
    try {
      await elector.run(stop.signal, {
        onStartedLeading: (term) => {
          logger.info('became leader: starting controllers', { identity: elector.identity });
          return runManager(term);
        },
        onStoppedLeading: () => logger.info('stopped leading: controllers stopped', { identity: elector.identity }),
      });
    } finally {
      electionClient.close();
    }
  }
  logger.info('controllers stopped');
  return 0;
}
