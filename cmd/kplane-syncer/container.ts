// The one inversify container of kplane-syncer: the validated flags, the logger, the clock and
// the agent's configuration, bound under typed ids so main and the bindings agree on types.
import { Container } from 'inversify';
import type { Clock } from '../../pkg/clock/clock.ts';
import { type Logger, newLogger } from '../../pkg/log/logger.ts';
import type { SyncerConfig } from '../../pkg/syncer/agent.ts';
import { syncerClockFromEnv } from '../../pkg/syncer/clock.ts';
import type { SyncerOptions } from '../../pkg/syncer/options.ts';
import { serviceId } from '../internal/service-id.ts';

export const SYNCER_TYPES = {
  Options: serviceId<SyncerOptions>('Options'),
  Logger: serviceId<Logger>('Logger'),
  Clock: serviceId<Clock>('Clock'),
  Config: serviceId<SyncerConfig>('Config'),
} as const;

export function buildSyncerContainer(values: SyncerOptions, env: NodeJS.ProcessEnv): Container {
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind(SYNCER_TYPES.Options).toConstantValue(values);
  c.bind(SYNCER_TYPES.Logger).toDynamicValue(() => newLogger({ format: values['log-format'], level: values['log-level'] }));
  // Hidden, for end-to-end tests of clock skew only (see syncerClockFromEnv).
  c.bind(SYNCER_TYPES.Clock).toDynamicValue(() => syncerClockFromEnv(env));
  c.bind(SYNCER_TYPES.Config).toDynamicValue((ctx) => ({
    kubeconfigPath: values['from-kubeconfig']!,
    cluster: values['from-cluster'],
    syncTargetName: values['sync-target-name']!,
    syncTargetUid: values['sync-target-uid'],
    heartbeatPeriodMs: values['heartbeat-period'],
    heartbeatLease: values['heartbeat-lease'],
    statusReportPeriodMs: values['status-report-period'],
    capacity: values.capacity,
    physicalKubeconfigPath: values['to-kubeconfig'],
    resources: values.resources,
    sync: values['sync-mode'],
    capacityRefreshMs: values['capacity-refresh-period'],
    clock: ctx.get(SYNCER_TYPES.Clock),
    logger: ctx.get(SYNCER_TYPES.Logger),
  }));
  return c;
}
