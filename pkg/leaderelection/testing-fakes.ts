// Test doubles for the elector: a hand-driven clock and an in-memory Lease with
// resourceVersion preconditions, shared by several candidates, each of which can be cut off.
import type { Clock } from './clock.ts';
import type { Lease, LeaseLock, LeaseSpec } from './lease-lock.ts';

/** Let every pending promise chain run (the fakes resolve on the microtask/immediate queue). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
}

interface Timer {
  at: number;
  resolve: () => void;
}

export class FakeClock implements Clock {
  private t: number;
  private timers: Timer[] = [];

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = { at: this.t + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((x) => x !== timer);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Move time forward, firing timers in order and letting their work run in between. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.resolve();
    }
    this.t = target;
    await settle();
  }

  /** Advance in steps until cond() holds (or fail after maxMs of fake time). */
  async advanceUntil(cond: () => boolean, maxMs: number, stepMs = 100): Promise<number> {
    const start = this.t;
    while (!cond()) {
      if (this.t - start > maxMs) throw new Error(`condition not met within ${maxMs} ms of fake time`);
      await this.advance(stepMs);
    }
    return this.t - start;
  }
}

export class ConflictError extends Error {
  readonly reason = 'Conflict';
}

/** The one Lease in "the API server". */
export class LeaseStore {
  lease: Lease | undefined;
  private rv = 0;
  writes = 0;

  put(spec: LeaseSpec): Lease {
    this.rv++;
    this.writes++;
    this.lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'default', resourceVersion: String(this.rv) }, spec: { ...spec } };
    return structuredClone(this.lease);
  }
}

/** One candidate's view of the store; `partitioned` makes every call fail like a dead network. */
export class FakeLeaseLock implements LeaseLock {
  readonly description = 'test|default/l';
  partitioned = false;
  /** When set, calls never answer (a hung request) until their signal aborts. */
  hung = false;
  /** Hung calls that were cut off by their signal (the request would be torn down). */
  abortedCalls = 0;
  private readonly store: LeaseStore;

  constructor(store: LeaseStore) {
    this.store = store;
  }

  private async reach(signal?: AbortSignal): Promise<void> {
    await Promise.resolve();
    if (this.hung) {
      await new Promise<void>((_resolve, reject) =>
        signal?.addEventListener('abort', () => {
          this.abortedCalls++;
          reject(new Error('aborted'));
        }, { once: true }),
      );
    }
    if (this.partitioned) throw new Error('connection refused');
  }

  async get(signal?: AbortSignal): Promise<Lease | undefined> {
    await this.reach(signal);
    return this.store.lease ? structuredClone(this.store.lease) : undefined;
  }

  async create(spec: LeaseSpec, signal?: AbortSignal): Promise<Lease> {
    await this.reach(signal);
    if (this.store.lease) throw new ConflictError('already exists');
    return this.store.put(spec);
  }

  async update(lease: Lease, spec: LeaseSpec, signal?: AbortSignal): Promise<Lease> {
    await this.reach(signal);
    if (this.store.lease?.metadata.resourceVersion !== lease.metadata.resourceVersion) throw new ConflictError('conflict');
    return this.store.put(spec);
  }
}
