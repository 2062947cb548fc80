// The resource lock: one coordination.k8s.io/v1 Lease read and written with optimistic
// concurrency. The elector needs only get/create/update, so tests pass an object literal.
import { formatMicroTime } from '../../apis/meta/v1/time.ts';
import type { ResourceClient } from '../client/resource.ts';
import { isNotFound } from '../client/errors.ts';
import type { KubeObject } from '../client/object.ts';

/** What the elector reads and writes: client-go's LeaderElectionRecord, as Lease spec fields. */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/**
 * Every call takes the signal of its attempt: the elector aborts it at the renew deadline or
 * on cancel, so a write that hung does not land later on behalf of a lease already given up.
 */
export interface LeaseLock {
  /** A human description for logs, e.g. "root|default/kplane-controller-manager". */
  readonly description: string;
  /** The current Lease, or undefined when it does not exist. */
  get(signal?: AbortSignal): Promise<Lease | undefined>;
  /** Create the Lease; fails (AlreadyExists) when another candidate created it first. */
  create(spec: LeaseSpec, signal?: AbortSignal): Promise<Lease>;
  /** Replace the spec; `lease.metadata.resourceVersion` is the precondition (Conflict otherwise). */
  update(lease: Lease, spec: LeaseSpec, signal?: AbortSignal): Promise<Lease>;
}

/** MicroTime as a Lease carries it. */
export function leaseTime(ms: number): string {
  return formatMicroTime(new Date(ms));
}

/** A LeaseLock over the cluster-aware client: `clusterClient.cluster(path).leases(ns)`. */
export class ClientLeaseLock implements LeaseLock {
  readonly description: string;
  private readonly leases: ResourceClient<Lease>;
  private readonly name: string;
  private readonly namespace: string;

  constructor(leases: ResourceClient, namespace: string, name: string) {
    this.leases = leases as ResourceClient<Lease>;
    this.name = name;
    this.namespace = namespace;
    this.description = `${leases.cluster ?? '*'}|${namespace}/${name}`;
  }

  async get(signal?: AbortSignal): Promise<Lease | undefined> {
    try {
      return await this.leases.get(this.name, signal ? { signal } : {});
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  create(spec: LeaseSpec, signal?: AbortSignal): Promise<Lease> {
    return this.leases.create(
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.name, namespace: this.namespace },
        spec,
      },
      signal ? { signal } : {},
    );
  }

  update(lease: Lease, spec: LeaseSpec, signal?: AbortSignal): Promise<Lease> {
    // PUT carries metadata.resourceVersion: the server answers 409 if anyone wrote in between.
    return this.leases.update({ ...lease, spec }, signal ? { signal } : {});
  }
}
