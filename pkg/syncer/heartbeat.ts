// The heartbeat loop: every period, one JSON Patch on synctargets/<name>/status that tests
// the uid (so a recreated SyncTarget is never kept alive by a stale syncer) and sets
// status.lastSyncerHeartbeatTime (and capacity/allocatable and syncedResources, when they changed).
//
// Design.md §9 says `replace /status/lastSyncerHeartbeatTime`; `replace` fails while the
// field (or status itself) is absent, so we use `add`, which RFC 6902 defines as replace when
// the member exists. A SyncTarget with no status at all gets `/status` created in the same
// patch, guarded by a resourceVersion test so that we never overwrite a status someone else
// wrote in the meantime.
//
// With a heartbeat Lease (`--heartbeat-lease`, lease.ts) a beat renews the Lease instead, and
// the status patch above is sent only when it has something to say: the first beat, changed
// capacity, synced resources or condition, or once per status report period (kubelets do
// the same with node status: `nodeStatusReportFrequency`).
import { isDeepStrictEqual } from 'node:util';
import type { JsonPatchOp, SyncTarget } from '../client/index.ts';
import { isInvalid } from '../client/errors.ts';
import type { Logger } from '../log/logger.ts';
import { classifyBeatError, type FailureKind, retryDelay } from './backoff.ts';
import type { SyncedResource } from './synced-resources.ts';
import type { SyncCondition } from './shared/health.ts';
import type { ResourceList } from './capacity.ts';
import type { Clock } from '../clock/clock.ts';
import { type SyncTargetAccess, UidMismatchError } from './synctarget-access.ts';
import { formatTime } from '../../apis/meta/v1/time.ts';

export interface HeartbeatOptions {
  syncTargets: SyncTargetAccess;
  name: string;
  uid: string;
  periodMs: number;
  clock: Clock;
  logger: Logger;
  /** Reported as status.capacity (and status.allocatable unless `allocatable` is set). */
  capacity?: ResourceList | undefined;
  /** Reported as status.allocatable; defaults to `capacity`. */
  allocatable?: ResourceList | undefined;
  random?: () => number;
  /** First retry delay after a transient failure; defaults to 500ms. */
  initialBackoffMs?: number;
  /** Cap of transient retries; defaults to the period (below any sane staleness threshold). */
  maxBackoffMs?: number;
  /** Pause after 401/403/404; defaults to 60s. */
  authFailureBackoffMs?: number;
  /** Called after every attempt (tests, benchmarks, metrics). */
  onBeat?: (outcome: BeatOutcome) => void;
  /** Beat by renewing this Lease (lease.ts); the status patch then goes out only when due. */
  lease?: { renew(now: Date): Promise<unknown> } | undefined;
  /** With a lease: the longest time between two status patches; defaults to 5 minutes. */
  statusReportPeriodMs?: number | undefined;
}

export const DEFAULT_STATUS_REPORT_PERIOD_MS = 5 * 60_000;

export type BeatOutcome =
  | { ok: true; at: Date; latencyMs: number }
  | { ok: false; kind: FailureKind | 'stale-view'; error: Error; latencyMs: number; /** The pause chosen before the next attempt (logged with the failure). */ retryInMs?: number };

export class HeartbeatLoop {
  private readonly o: HeartbeatOptions;
  /** What we last saw of the object: whether it has a status, its resourceVersion, capacity. */
  private statusPresent: boolean;
  private resourceVersion: string;
  private capacityReported: boolean;
  private capacity: ResourceList | undefined;
  private allocatable: ResourceList | undefined;
  /** status.syncedResources to report (undefined: not managed by this syncer). */
  private syncedResources: SyncedResource[] | undefined;
  private syncedResourcesReported = true;
  /** The condition resource sync reports (undefined: not syncing objects). */
  private syncCondition: SyncCondition | undefined;
  private lastSeen: SyncTarget;
  private consecutiveFailures = 0;
  private lastFailureKind: string | undefined;
  /** Why the Lease was last refused (logged once per kind), undefined while it renews. */
  private leaseRefusal: FailureKind | undefined;
  /** When this loop last patched status (ms on its clock); undefined before the first. */
  private statusReportedAt: number | undefined;

  constructor(o: HeartbeatOptions, initial: SyncTarget) {
    this.o = o;
    this.lastFailureKind = undefined;
    this.statusPresent = false;
    this.resourceVersion = '';
    this.capacityReported = false;
    this.capacity = o.capacity;
    this.allocatable = o.allocatable;
    this.lastSeen = initial;
    this.observe(initial);
  }

  /** New resources to report (e.g. re-read from the physical cluster); sent with the next beat if they differ. */
  setResources(capacity: ResourceList, allocatable: ResourceList): void {
    this.capacity = capacity;
    this.allocatable = allocatable;
    this.observe(this.lastSeen);
  }

  /** The requested types' state on the physical cluster; sent with the next beat if it differs. */
  setSyncedResources(resources: SyncedResource[]): void {
    this.syncedResources = resources;
    this.observe(this.lastSeen);
  }

  /** Resource sync's condition (ResourcesSynced); sent with the next beat if it differs. */
  setSyncCondition(c: SyncCondition): void {
    this.syncCondition = c;
  }

  private observe(st: SyncTarget): void {
    this.statusPresent = st.status !== undefined && st.status !== null;
    this.resourceVersion = st.metadata.resourceVersion ?? '';
    this.lastSeen = st;
    const cap = this.capacity;
    this.capacityReported = cap === undefined || (isDeepStrictEqual(st.status?.capacity, cap) && isDeepStrictEqual(st.status?.allocatable, this.allocatable ?? cap));
    this.syncedResourcesReported = this.syncedResources === undefined || isDeepStrictEqual(st.status?.syncedResources ?? [], this.syncedResources);
  }

  /**
   * Must this beat patch status? Always without a Lease (the patch is the beat). With one: the
   * first beat of this process, anything new to report, or a report period since the last.
   */
  statusDue(now: Date): boolean {
    if (!this.o.lease || this.statusReportedAt === undefined) return true;
    if (!this.lastSeen.status?.lastSyncerHeartbeatTime) return true;
    if ((this.capacity && !this.capacityReported) || (this.syncedResources && !this.syncedResourcesReported)) return true;
    if (this.conditionOps(now).length > 0) return true;
    return now.getTime() - this.statusReportedAt >= (this.o.statusReportPeriodMs ?? DEFAULT_STATUS_REPORT_PERIOD_MS);
  }

  /** The JSON Patch for a beat at `now` (exported for tests of its exact shape). */
  buildPatch(now: Date): JsonPatchOp[] {
    const ops: JsonPatchOp[] = [{ op: 'test', path: '/metadata/uid', value: this.o.uid }];
    if (!this.statusPresent) {
      ops.push({ op: 'test', path: '/metadata/resourceVersion', value: this.resourceVersion });
      ops.push({ op: 'add', path: '/status', value: {} });
    }
    ops.push({ op: 'add', path: '/status/lastSyncerHeartbeatTime', value: formatTime(now) });
    if (this.capacity && !this.capacityReported) {
      ops.push({ op: 'add', path: '/status/capacity', value: this.capacity });
      ops.push({ op: 'add', path: '/status/allocatable', value: this.allocatable ?? this.capacity });
    }
    if (this.syncedResources && !this.syncedResourcesReported) {
      ops.push({ op: 'add', path: '/status/syncedResources', value: this.syncedResources });
    }
    ops.push(...this.conditionOps(now));
    return ops;
  }

  /**
   * Our one condition, touching no other: replace it in place (guarded by a `test` of its
   * type at that index, so a list reordered meanwhile fails the patch and we re-read), append
   * it, or create the list (guarded by the resourceVersion, so a list created meanwhile is not
   * overwritten). Nothing when kplane already shows it.
   */
  private conditionOps(now: Date): JsonPatchOp[] {
    const c = this.syncCondition;
    if (!c) return [];
    const list = (this.lastSeen.status?.conditions ?? undefined) as { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[] | undefined;
    const i = list?.findIndex((x) => x.type === c.type) ?? -1;
    const old = i >= 0 ? list![i] : undefined;
    if (old && old.status === c.status && ((old as { severity?: string }).severity ?? '') === (c.severity ?? '') && (old.reason ?? '') === (c.reason ?? '') && (old.message ?? '') === (c.message ?? '')) return [];
    const value = { ...c, lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : formatTime(now) };
    if (i >= 0) return [{ op: 'test', path: `/status/conditions/${i}/type`, value: c.type }, { op: 'replace', path: `/status/conditions/${i}`, value }];
    if (list) return [{ op: 'add', path: '/status/conditions/-', value }];
    const guard: JsonPatchOp[] = this.statusPresent ? [{ op: 'test', path: '/metadata/resourceVersion', value: this.resourceVersion }] : [];
    return [...guard, { op: 'add', path: '/status/conditions', value: [value] }];
  }

  /**
   * One attempt. Never throws except UidMismatchError (fatal: the SyncTarget was recreated).
   * A failed `test` (422) means our view is stale: re-read, then report 'stale-view' so the
   * caller retries soon with the fresh view.
   */
  async beat(): Promise<BeatOutcome> {
    const { syncTargets, name, clock, logger } = this.o;
    // Latency on the loop's own clock: the pause after a beat is taken on that clock, so
    // mixing in real time would shorten a fake clock's sleeps by however long the beat ran.
    const t0 = clock.now();
    const now = new Date(t0);
    try {
      const renewed = this.o.lease ? await this.renewLease(now) : false;
      if (!renewed || this.statusDue(now)) {
        const st = await syncTargets.patchStatus(name, 'json', this.buildPatch(now));
        this.statusReportedAt = now.getTime();
        this.observe(st);
      }
      if (this.consecutiveFailures > 0) logger.info('heartbeat recovered', { afterFailures: this.consecutiveFailures });
      this.consecutiveFailures = 0;
      this.lastFailureKind = undefined;
      logger.debug('heartbeat sent', { at: formatTime(now) });
      return { ok: true, at: now, latencyMs: clock.now() - t0 };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.consecutiveFailures++;
      if (isInvalid(err)) {
        await this.refreshView();
        logger.info('heartbeat precondition failed, refreshed the SyncTarget and will retry', { error: error.message });
        return { ok: false, kind: 'stale-view', error, latencyMs: clock.now() - t0 };
      }
      const kind = classifyBeatError(err);
      const outcome: BeatOutcome = { ok: false, kind, error, latencyMs: clock.now() - t0 };
      // Chosen once, here, so the log line states the pause run() really takes.
      outcome.retryInMs = this.nextDelay(outcome);
      this.logFailure(kind, error, outcome.retryInMs);
      return outcome;
    }
  }

  /**
   * Renew the Lease; true when it was. A Lease this identity may not write (403: an identity
   * made before syncers had Leases) or whose namespace is missing (404) is no reason to go
   * silent: the beat then goes out as a status patch, as without a Lease, and we say why once.
   */
  private async renewLease(now: Date): Promise<boolean> {
    try {
      await this.o.lease!.renew(now);
      this.leaseRefusal = undefined;
      return true;
    } catch (err) {
      const kind = classifyBeatError(err);
      if (kind !== 'forbidden' && kind !== 'not-found') throw err;
      if (this.leaseRefusal !== kind) {
        this.leaseRefusal = kind;
        this.o.logger.warn('cannot renew the heartbeat Lease; beating by status patch instead', { reason: kind, error: err instanceof Error ? err.message : String(err) });
      }
      return false;
    }
  }

  private async refreshView(): Promise<void> {
    try {
      const st = await this.o.syncTargets.get(this.o.name);
      const uid = st.metadata.uid ?? '';
      if (uid !== this.o.uid) throw new UidMismatchError(this.o.name, this.o.uid, uid);
      this.observe(st);
    } catch (err) {
      if (err instanceof UidMismatchError) throw err;
      // Could not re-read: keep the old view; the next attempt tells us more.
    }
  }

  private logFailure(kind: FailureKind, error: Error, retryInMs: number): void {
    const { logger, name } = this.o;
    const meta = { consecutiveFailures: this.consecutiveFailures, retryInMs, error: error.message };
    const repeated = this.lastFailureKind === kind;
    this.lastFailureKind = kind;
    switch (kind) {
      case 'unauthorized':
        logger.error('heartbeat rejected: kplane does not accept the syncer token (401); retrying slowly', meta);
        return;
      case 'forbidden':
        logger.error(`heartbeat forbidden (403): the syncer identity may not patch synctargets/${name}/status; retrying slowly`, meta);
        return;
      case 'not-found':
        logger.error(`heartbeat failed: SyncTarget "${name}" not found (404), it was deleted; retrying slowly`, meta);
        return;
      default:
        (repeated ? logger.debug : logger.warn).call(logger, 'heartbeat failed, retrying with backoff', meta);
    }
  }

  /** Delay before the next attempt after `outcome`, measured from the attempt's start. */
  nextDelay(outcome: BeatOutcome): number {
    // A wall clock stepped back during the beat reads as negative latency: never pause longer than a period.
    if (outcome.ok) return Math.min(this.o.periodMs, Math.max(0, this.o.periodMs - outcome.latencyMs));
    if (outcome.retryInMs !== undefined) return outcome.retryInMs;
    if (outcome.kind === 'stale-view') return Math.min(this.o.initialBackoffMs ?? 500, this.o.periodMs);
    return retryDelay(outcome.kind, this.consecutiveFailures, {
      maxMs: this.o.maxBackoffMs ?? this.o.periodMs,
      ...(this.o.initialBackoffMs !== undefined ? { initialMs: this.o.initialBackoffMs } : {}),
      ...(this.o.authFailureBackoffMs !== undefined ? { authFailureMs: this.o.authFailureBackoffMs } : {}),
      ...(this.o.random ? { random: this.o.random } : {}),
    });
  }

  /**
   * Beat until the signal aborts. The signal is checked only between beats and is never
   * passed to the request, so a stop never leaves a half-sent patch. Rejects only with
   * UidMismatchError.
   */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const outcome = await this.beat();
      this.o.onBeat?.(outcome);
      if (signal.aborted) break;
      await this.o.clock.sleep(this.nextDelay(outcome), signal);
    }
  }
}
