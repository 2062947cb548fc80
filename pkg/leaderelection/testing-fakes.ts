// Test doubles for the elector (the clock is pkg/clock's FakeClock): an in-memory Lease with
// resourceVersion preconditions, shared by several candidates, each of which can be cut off.
import type { Lease, LeaseLock, LeaseSpec } from './lease-lock.ts';

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
