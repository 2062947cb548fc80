// LeaderElector: client-go's leader election over one Lease. A candidate acquires the
// Lease when it is absent, released (no holder) or expired (not renewed for
// leaseDuration as *this* candidate observed it — local time, so clock skew between
// replicas does not matter), renews it every retryPeriod, and stops leading at once when
// it cannot renew within renewDeadline or sees another holder. renewDeadline <
// leaseDuration leaves a margin in which the old leader has stopped before anyone else may
// take over. Every write carries the Lease's resourceVersion (optimistic concurrency).
import { type Clock, realClock } from '../clock/clock.ts';
import { type Lease, type LeaseLock, type LeaseSpec, leaseTime } from './lease-lock.ts';

export interface ElectorLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  debug(message: string, meta?: Record<string, unknown>): unknown;
}

export interface LeaderElectorOptions {
  lock: LeaseLock;
  identity: string;
  /** How long a Lease is valid without renewal. Defaults to 15 s (client-go). */
  leaseDurationMs?: number;
  /** The leader gives up when it could not renew for this long. Defaults to 10 s. */
  renewDeadlineMs?: number;
  /** Interval between attempts (acquire and renew). Defaults to 2 s. */
  retryPeriodMs?: number;
  /** Hand the Lease back when run() is cancelled, so a successor need not wait for expiry. Defaults to true. */
  releaseOnCancel?: boolean;
  clock?: Clock;
  /** [0,1) source for the acquire jitter (client-go: retryPeriod × (1 + 1.2·rand)). */
  random?: () => number;
  logger?: ElectorLogger;
}

export interface LeaderCallbacks {
  /** Runs while this candidate leads; `signal` aborts the moment leadership ends. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called after the leading work has been aborted and has returned. */
  onStoppedLeading?(): void;
  /** Called when the observed holder changes (including to ourselves). */
  onNewLeader?(identity: string): void;
}

/** Read-only view for health checks (/readyz) and metrics. */
export interface LeadershipStatus {
  isLeader(): boolean;
  /** The holder this candidate last observed ('' = none). */
  leader(): string;
}

type RenewOutcome = 'renewed' | 'failed' | 'lost';

const JITTER_FACTOR = 1.2;

export class LeaderElector implements LeadershipStatus {
  readonly identity: string;
  private readonly lock: LeaseLock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly releaseOnCancel: boolean;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: ElectorLogger | undefined;
  private leading = false;
  private observed: LeaseSpec | undefined;
  private observedTime = 0;
  private reportedLeader = '';
  private callbacks: LeaderCallbacks | undefined;

  constructor(opts: LeaderElectorOptions) {
    this.lock = opts.lock;
    this.identity = opts.identity;
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    this.releaseOnCancel = opts.releaseOnCancel ?? true;
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.logger = opts.logger;
    if (!(this.leaseDurationMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryPeriodMs * JITTER_FACTOR)) {
      throw new Error('leader election needs leaseDuration > renewDeadline > retryPeriod × 1.2');
    }
  }

  isLeader(): boolean {
    return this.leading;
  }

  leader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /**
   * Campaign until `signal` aborts: acquire, lead (callbacks.onStartedLeading), and after a
   * lost lease campaign again. Resolves once the leading work has stopped and, on cancel,
   * the Lease has been released.
   */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    this.callbacks = callbacks;
    while (!signal.aborted) {
      if (!(await this.acquire(signal))) break;
      await this.lead(signal, callbacks);
    }
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    this.logger?.info('attempting to acquire leader lease', { lease: this.lock.description, identity: this.identity });
    for (;;) {
      if (signal.aborted) return false;
      // Bounded like a renewal, and cut short by cancel: a hung request must not block shutdown.
      if ((await this.withDeadline((s) => this.tryAcquireOrRenew(s), this.renewDeadlineMs, signal)) === 'renewed') {
        if (signal.aborted) return true; // lead() sees the abort at once and releases
        this.logger?.info('acquired leader lease', { lease: this.lock.description, identity: this.identity });
        return true;
      }
      await this.clock.sleep(this.retryPeriodMs * (1 + JITTER_FACTOR * this.random()), signal);
    }
  }

  private async lead(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    const term = new AbortController();
    const endTerm = () => term.abort();
    signal.addEventListener('abort', endTerm, { once: true });
    this.leading = true;
    const work = Promise.resolve()
      .then(() => callbacks.onStartedLeading(term.signal))
      .catch((err: unknown) => this.logger?.warn('leading work failed', { err: err instanceof Error ? err.message : String(err) }));
    try {
      while (!term.signal.aborted) {
        await this.clock.sleep(this.retryPeriodMs, term.signal);
        if (term.signal.aborted) break;
        const outcome = await this.renewWithinDeadline(term.signal);
        if (outcome !== 'renewed' && !term.signal.aborted) {
          this.logger?.warn('lost leader lease', { lease: this.lock.description, identity: this.identity, reason: outcome === 'lost' ? 'another holder' : 'renew deadline exceeded' });
          break;
        }
      }
    } finally {
      // Stop the leading work first: nothing may run on behalf of a lost lease.
      this.leading = false;
      term.abort();
      signal.removeEventListener('abort', endTerm);
      await work;
      callbacks.onStoppedLeading?.();
      if (signal.aborted && this.releaseOnCancel) {
        // Bounded: shutdown must not wait on a dead API server for the client's full timeout.
        const timer = new AbortController();
        await Promise.race([this.release(timer.signal), this.clock.sleep(this.renewDeadlineMs, timer.signal)]);
        timer.abort();
      }
    }
  }

  /** client-go's renew: retry every retryPeriod until renewed, or give up at renewDeadline. */
  private async renewWithinDeadline(signal: AbortSignal): Promise<RenewOutcome> {
    const deadline = this.clock.now() + this.renewDeadlineMs;
    for (;;) {
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) return 'failed';
      const outcome = await this.withDeadline((s) => this.tryAcquireOrRenew(s), remaining, signal);
      if (outcome !== 'failed' || signal.aborted) return outcome;
      const left = deadline - this.clock.now();
      if (left <= 0) return 'failed';
      await this.clock.sleep(Math.min(this.retryPeriodMs, left), signal);
      if (signal.aborted) return 'failed';
    }
  }

  /**
   * A hung request must not hold a leader past its deadline: race the attempt against the
   * clock, and abort the attempt's requests (its signal) at the deadline or on cancel, so a
   * write given up on never lands afterwards.
   */
  private async withDeadline(attempt: (signal: AbortSignal) => Promise<RenewOutcome>, ms: number, signal: AbortSignal): Promise<RenewOutcome> {
    const timer = new AbortController();
    const stopTimer = () => timer.abort();
    signal.addEventListener('abort', stopTimer, { once: true });
    // Resolves at the deadline, or at once when signal aborts (the sleep ends early).
    const timeout = this.clock.sleep(ms, timer.signal).then(() => 'failed' as const);
    const requests = new AbortController();
    try {
      return await Promise.race([attempt(requests.signal), timeout]);
    } finally {
      signal.removeEventListener('abort', stopTimer);
      timer.abort();
      requests.abort(new Error('leader election attempt ended (deadline or cancel)'));
    }
  }

  /** One attempt: 'renewed' when we hold the Lease now, 'lost' when someone else validly does. */
  private async tryAcquireOrRenew(signal: AbortSignal): Promise<RenewOutcome> {
    let lease: Lease | undefined;
    try {
      lease = await this.lock.get(signal);
    } catch (err) {
      this.logger?.debug('reading the leader lease failed', { lease: this.lock.description, err: String(err) });
      return 'failed';
    }
    const now = this.clock.now();
    if (!lease) {
      const spec: LeaseSpec = this.newSpec(leaseTime(now), now, 0);
      return this.write(() => this.lock.create(spec, signal), spec, 'create');
    }
    const current = lease.spec ?? {};
    this.observe(current, now);
    const holder = current.holderIdentity ?? '';
    if (holder !== '' && holder !== this.identity) {
      const validUntil = this.observedTime + (current.leaseDurationSeconds ?? 0) * 1000;
      if (validUntil > now) return this.leading ? 'lost' : 'failed';
    }
    const mine = holder === this.identity;
    const acquireTime = mine && current.acquireTime ? current.acquireTime : leaseTime(now);
    const spec = this.newSpec(acquireTime, now, mine ? (current.leaseTransitions ?? 0) : (current.leaseTransitions ?? 0) + 1);
    return this.write(() => this.lock.update(lease, spec, signal), spec, 'update');
  }

  private async write(op: () => Promise<Lease>, spec: LeaseSpec, verb: string): Promise<RenewOutcome> {
    try {
      const stored = await op();
      this.observe(stored.spec ?? spec, this.clock.now());
      return 'renewed';
    } catch (err) {
      // Conflict / AlreadyExists: another candidate wrote first; anything else is transient.
      this.logger?.debug(`leader lease ${verb} failed`, { lease: this.lock.description, err: String(err) });
      return 'failed';
    }
  }

  private newSpec(acquireTime: string, renewMs: number, transitions: number): LeaseSpec {
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime,
      renewTime: leaseTime(renewMs),
      leaseTransitions: transitions,
    };
  }

  /** Remember when the record last *changed*, by our own clock (client-go's observedTime). */
  private observe(spec: LeaseSpec, now: number): void {
    if (!this.observed || !sameRecord(this.observed, spec)) {
      this.observed = { ...spec };
      this.observedTime = now;
    }
    const holder = spec.holderIdentity ?? '';
    if (holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      if (holder !== '') this.callbacks?.onNewLeader?.(holder);
    }
  }

  /** Hand the Lease back (no holder, 1 s duration) if we still hold it. Best effort. */
  private async release(signal: AbortSignal): Promise<void> {
    try {
      const lease = await this.lock.get(signal);
      if (!lease || (lease.spec?.holderIdentity ?? '') !== this.identity) return;
      const now = this.clock.now();
      await this.lock.update(
        lease,
        {
          holderIdentity: '',
          leaseDurationSeconds: 1,
          acquireTime: leaseTime(now),
          renewTime: leaseTime(now),
          leaseTransitions: lease.spec?.leaseTransitions ?? 0,
        },
        signal,
      );
      this.logger?.info('released leader lease', { lease: this.lock.description, identity: this.identity });
    } catch (err) {
      this.logger?.warn('releasing the leader lease failed; a successor waits for it to expire', { err: String(err) });
    }
  }
}

function sameRecord(a: LeaseSpec, b: LeaseSpec): boolean {
  return (
    (a.holderIdentity ?? '') === (b.holderIdentity ?? '') &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    (a.leaseTransitions ?? 0) === (b.leaseTransitions ?? 0)
  );
}
