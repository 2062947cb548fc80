// Leader election for the controllers of `kplane start` and `kplane controllers`: replicas on
// one etcd, and separate controller processes, each run a candidate over the Lease
// root|default/kplane-controller-manager; only the leader runs controllers. SQLite (one process by construction) and --leader-elect=false run them
// unelected. /readyz does not depend on leadership (docs/etcd.md).
import type { Container } from 'inversify';
import type { ServingMaterial } from '../../pkg/certs/certs.ts';
import { ClusterClient } from '../../pkg/client/clusterclient.ts';
import { BearerTokenConfig } from '../../pkg/client/token-config.ts';
import type { TransportConfig } from '../../pkg/client/transport.ts';
import { ClientLeaseLock, LeaderElector, newIdentity } from '../../pkg/leaderelection/index.ts';
import type { Logger } from '../../pkg/log/logger.ts';
import { type ServiceId, serviceId } from '../internal/service-id.ts';

export const LEADER_ELECTION = {
  Elector: serviceId<ControllerLeaderElection>('LeaderElector'),
} as const;

export const CONTROLLER_MANAGER_LEASE = { cluster: 'root', namespace: 'default', name: 'kplane-controller-manager' } as const;

/** Ids of the container this needs (they live in container.ts). */
export interface LeaderElectionDeps {
  externalURL: ServiceId<string>;
  loopbackToken: ServiceId<string>;
  loopbackSocket: ServiceId<string | undefined>;
  servingMaterial: ServiceId<ServingMaterial>;
  logger: ServiceId<Logger>;
}

/** A candidate over the loopback identity, with the client it owns. */
export class ControllerLeaderElection {
  readonly elector: LeaderElector;
  private readonly clusterClient: ClusterClient;
  private readonly logger: Logger;

  constructor(elector: LeaderElector, clusterClient: ClusterClient, logger: Logger) {
    this.elector = elector;
    this.clusterClient = clusterClient;
    this.logger = logger;
  }

  /** Run `work` without an election (one process by construction). */
  async runUnelected(signal: AbortSignal, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    try {
      await work(signal);
    } finally {
      this.clusterClient.close();
    }
  }

  /** Run `work` only while leading; resolves after `signal` aborts and the Lease is released. */
  async run(signal: AbortSignal, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const { elector, logger } = this;
    try {
      await elector.run(signal, {
        onStartedLeading: (term) => {
          logger.info('became leader: starting controllers', { identity: elector.identity });
          return work(term);
        },
        onStoppedLeading: () => logger.info('stopped leading: controllers stopped', { identity: elector.identity }),
        onNewLeader: (id) => logger.info('new leader observed', { leader: id, self: id === elector.identity }),
      });
    } finally {
      this.clusterClient.close();
    }
  }
}

/** Bind LEADER_ELECTION.Elector (a ControllerLeaderElection talking to this replica). */
export function bindLeaderElection(c: Container, deps: LeaderElectionDeps): void {
  c.bind(LEADER_ELECTION.Elector).toDynamicValue((ctx) => {
    // The loopback identity (LOOPBACK_USER) by its token.
    const kubeconfig = new BearerTokenConfig({
      server: ctx.get(deps.externalURL),
      caPem: ctx.get(deps.servingMaterial).ca.certPem,
      token: ctx.get(deps.loopbackToken),
      socketPath: ctx.get(deps.loopbackSocket),
    });
    return newControllerLeaderElection(kubeconfig, ctx.get(deps.logger));
  });
}

/**
 * A candidate for the controller-manager Lease, reaching kplane with `kubeconfig`: the
 * replica's loopback identity in `kplane start`, the given kubeconfig in `kplane controllers`.
 */
export function newControllerLeaderElection(kubeconfig: TransportConfig, parentLogger: Logger): ControllerLeaderElection {
  // Requests shorter than the renew deadline, so one slow request cannot eat all of it.
  const clusterClient = new ClusterClient(kubeconfig, { component: 'leader-election', timeoutMs: 5000 });
  const { cluster, namespace, name } = CONTROLLER_MANAGER_LEASE;
  const lock = new ClientLeaseLock(clusterClient.cluster(cluster).leases(namespace), namespace, name);
  const logger = parentLogger.child({ component: 'leader-election' });
  return new ControllerLeaderElection(new LeaderElector({ lock, identity: newIdentity(), logger }), clusterClient, logger);
}
