// SyncTarget fleet health, computed from the SyncTarget controller's lister when Prometheus
// scrapes (no bookkeeping on the hot path, and always consistent with the informer cache):
//   kplane_synctargets{phase}                    how many targets are in each phase
//   kplane_synctarget_heartbeat_age_seconds      distribution of time since the last heartbeat
//   kplane_synctargets_without_heartbeat         targets whose syncer never reported
// The histogram is rebuilt at each scrape (it is a snapshot of ages, not a stream of events),
// so its _count equals the number of targets with a heartbeat and never decreases only
// because time passed; rate() over it is meaningless, use histogram_quantile() on it directly.
import { Gauge, Histogram } from 'prom-client';
import { SyncTargetPhaseSchema } from '../../apis/workload/v1alpha1/synctarget.ts';
import type { SyncTarget } from '../client/types.ts';
import type { MetricsRegistry } from './registry.ts';

const HEARTBEAT_AGE_BUCKETS = [1, 5, 10, 20, 30, 45, 60, 90, 120, 300, 600, 1800, 3600];
const PHASES: readonly string[] = SyncTargetPhaseSchema.options;

export interface SyncTargetSource {
  /** Every SyncTarget in the controller's cache, across workspaces. */
  list(): SyncTarget[];
  /**
   * The time of a target's last beat, when beats can arrive elsewhere than in its status (a
   * heartbeat Lease); status.lastSyncerHeartbeatTime otherwise.
   */
  lastHeartbeat?(st: SyncTarget): string | undefined;
}

export function registerSyncTargetMetrics(registry: MetricsRegistry, source: () => SyncTargetSource | undefined, now: () => number = Date.now): void {
  const registers = [registry];
  new Gauge({
    name: 'kplane_synctargets',
    help: 'SyncTargets by status.phase (Unknown: no phase yet), from the controller cache at scrape time',
    labelNames: ['phase'],
    registers,
    collect() {
      const counts = new Map<string, number>([...PHASES, 'Unknown'].map((p) => [p, 0]));
      for (const st of source()?.list() ?? []) {
        const phase = st.status?.phase;
        const label = phase !== undefined && PHASES.includes(phase) ? phase : 'Unknown';
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      for (const [phase, n] of counts) this.labels(phase).set(n);
    },
  });
  /** A target's last beat (ms) as `s` knows it, NaN when none; each scrape asks source() once. */
  const heartbeatOf = (s: SyncTargetSource, st: SyncTarget) => Date.parse(String((s.lastHeartbeat ? s.lastHeartbeat(st) : st.status?.lastSyncerHeartbeatTime) ?? ''));
  new Gauge({
    name: 'kplane_synctargets_without_heartbeat',
    help: 'SyncTargets whose syncer has never sent a heartbeat',
    registers,
    collect() {
      const s = source();
      this.set(s ? s.list().filter((st) => !Number.isFinite(heartbeatOf(s, st))).length : 0);
    },
  });
  new Histogram({
    name: 'kplane_synctarget_heartbeat_age_seconds',
    help: 'Seconds since each SyncTarget\'s last syncer heartbeat, rebuilt from the controller cache at scrape time',
    buckets: HEARTBEAT_AGE_BUCKETS,
    registers,
    collect() {
      this.reset();
      const t = now();
      const s = source();
      if (!s) return;
      for (const st of s.list()) {
        const beat = heartbeatOf(s, st);
        if (Number.isFinite(beat)) this.observe(Math.max(0, (t - beat) / 1000));
      }
    },
  });
}
