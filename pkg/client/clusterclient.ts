// ClusterClient: one connection to kplane, addressing any logical cluster per call, like
// kcp's cluster-aware clientsets:
//   clusterClient.cluster('root:org').resource(SyncTargetGVR).get('edge-1')
//   clusterClient.cluster('root:org').syncTargets().patchStatus(...)
//   clusterClient.wildcard().resource(SyncTargetGVR).watch(...)    // privileged
// With `pathPrefix` (or a kubeconfig server URL with a path before /clusters) every request
// goes under that path, e.g. the syncer view: `<server>/services/syncer/<ws>/<st>/<uid>/clusters/*/…`.
import { KPLANE_VERSION } from '../version/version.ts';
import { kubeConfigClass } from './kubeconfig.ts';
import * as gvrs from './gvr.ts';
import type { GVR } from './gvr.ts';
import type { KubeObject } from './object.ts';
import { ResourceClient, type CallOptions } from './resource.ts';
import { anySignal } from './signal.ts';
import { Transport, type TransportConfig } from './transport.ts';
import type { Location, Placement, SyncTarget, Workspace } from './types.ts';

export interface ClusterClientOptions {
  /** Who is calling, for the user agent `kplane/<version> (<component>)` and as default field manager. */
  component: string;
  timeoutMs?: number;
  /**
   * Send every request under this path: `<server><pathPrefix>/clusters/<path>/…`. The syncer
   * uses it to reach its SyncTarget's view (`syncerViewPath(…)` from
   * apis/workload/v1alpha1/sync-contract.ts) with the same cluster-aware calls.
   */
  pathPrefix?: string;
}

export class ClusterClient {
  readonly transport: Transport;
  readonly component: string;
  /** Aborts every call made through this client (see withSignal). */
  readonly signal: AbortSignal | undefined;

  constructor(kubeconfig: TransportConfig | Transport, opts: ClusterClientOptions, signal?: AbortSignal) {
    this.component = opts.component;
    this.signal = signal;
    // A ready Transport already has its base path; a prefix here would be silently lost.
    if (kubeconfig instanceof Transport && opts.pathPrefix !== undefined) throw new Error('pathPrefix applies only when the client makes its own Transport');
    this.transport = kubeconfig instanceof Transport
      ? kubeconfig
      : new Transport(kubeconfig, {
          userAgent: `kplane/${KPLANE_VERSION} (${opts.component})`,
          ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
          ...(opts.pathPrefix !== undefined ? { pathPrefix: opts.pathPrefix } : {}),
        });
  }

  /**
   * The same connection, with every call aborted when `signal` fires (as well as by its own
   * signal, if any): controllers hand each reconcile a client bound to the reconcile's signal,
   * so a timeout, a shutdown or a lost lease cuts off the calls still in flight.
   */
  withSignal(signal: AbortSignal): ClusterClient {
    return new ClusterClient(this.transport, { component: this.component }, anySignal(this.signal, signal));
  }

  static fromFile(path: string, opts: ClusterClientOptions): ClusterClient {
    const kc = new (kubeConfigClass())();
    kc.loadFromFile(path);
    return new ClusterClient(kc, opts);
  }

  cluster(path: string): ScopedClient {
    return new ScopedClient(this.transport, path, this.component, this.signal);
  }

  /** Every logical cluster at once: list and watch only, for privileged identities. */
  wildcard(): ScopedClient {
    return new ScopedClient(this.transport, undefined, this.component, this.signal);
  }

  /**
   * A server without logical clusters (a physical Kubernetes cluster): kube's own paths
   * (`/api/v1/…`), no `/clusters/<path>` prefix. The syncer's downstream side.
   */
  plain(): ScopedClient {
    return new ScopedClient(this.transport, '', this.component, this.signal);
  }

  close(): void {
    this.transport.close();
  }
}

export class ScopedClient {
  private readonly transport: Transport;
  readonly cluster: string | undefined;
  private readonly fieldManager: string;
  readonly signal: AbortSignal | undefined;

  constructor(transport: Transport, cluster: string | undefined, fieldManager: string, signal?: AbortSignal) {
    this.transport = transport;
    this.cluster = cluster;
    this.fieldManager = fieldManager;
    this.signal = signal;
  }

  resource<T extends KubeObject = KubeObject>(gvr: GVR, namespace = ''): ResourceClient<T> {
    return new ResourceClient<T>(this.transport, gvr, this.cluster, namespace, this.fieldManager, this.signal);
  }

  syncTargets(): ResourceClient<SyncTarget> {
    return this.resource<SyncTarget>(gvrs.SyncTargetGVR);
  }
  locations(): ResourceClient<Location> {
    return this.resource<Location>(gvrs.LocationGVR);
  }
  placements(): ResourceClient<Placement> {
    return this.resource<Placement>(gvrs.PlacementGVR);
  }
  workspaces(): ResourceClient<Workspace> {
    return this.resource<Workspace>(gvrs.WorkspaceGVR);
  }
  namespaces(): ResourceClient {
    return this.resource(gvrs.NamespaceGVR);
  }
  secrets(namespace = ''): ResourceClient {
    return this.resource(gvrs.SecretGVR, namespace);
  }
  serviceAccounts(namespace = ''): ResourceClient {
    return this.resource(gvrs.ServiceAccountGVR, namespace);
  }
  events(namespace = ''): ResourceClient {
    return this.resource(gvrs.EventGVR, namespace);
  }
  clusterRoles(): ResourceClient {
    return this.resource(gvrs.ClusterRoleGVR);
  }
  clusterRoleBindings(): ResourceClient {
    return this.resource(gvrs.ClusterRoleBindingGVR);
  }
  leases(namespace = ''): ResourceClient {
    return this.resource(gvrs.LeaseGVR, namespace);
  }
  deployments(namespace = ''): ResourceClient {
    return this.resource(gvrs.DeploymentGVR, namespace);
  }

  /** Mint a ServiceAccount token through the TokenRequest subresource; returns the token. */
  async createToken(namespace: string, serviceAccount: string, expirationSeconds: number, opts: CallOptions = {}): Promise<string> {
    if (this.cluster === undefined) throw new Error('the wildcard cluster cannot mint tokens');
    const signal = anySignal(this.signal, opts.signal);
    const review = await this.transport.json<{ status?: { token?: string } }>({
      ...(signal ? { signal } : {}),
      method: 'POST',
      path: `/clusters/${this.cluster}/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
    });
    const token = review.status?.token;
    if (!token) throw new Error(`TokenRequest for ${namespace}/${serviceAccount} returned no token`);
    return token;
  }

  /**
   * Whether `user` may do `attrs` in this workspace: a SelfSubjectAccessReview sent while
   * impersonating the user (this client's identity must be allowed to impersonate). Used where
   * a controller acts on a user's behalf in another workspace, e.g. a Placement's Locations.
   */
  async accessReview(user: ImpersonatedUser, attrs: ResourceAttributes, opts: CallOptions = {}): Promise<{ allowed: boolean; reason?: string }> {
    if (this.cluster === undefined) throw new Error('the wildcard cluster has no access reviews');
    const signal = anySignal(this.signal, opts.signal);
    const headers: Record<string, string | string[]> = { 'Impersonate-User': user.username };
    if (user.uid) headers['Impersonate-Uid'] = user.uid;
    if (user.groups.length > 0) headers['Impersonate-Group'] = user.groups;
    const review = await this.transport.json<{ status?: { allowed?: boolean; reason?: string } }>({
      ...(signal ? { signal } : {}),
      method: 'POST',
      path: `/clusters/${this.cluster}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`,
      headers,
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attrs } },
    });
    return { allowed: review.status?.allowed === true, ...(review.status?.reason ? { reason: review.status.reason } : {}) };
  }
}

export interface ImpersonatedUser {
  username: string;
  uid?: string;
  groups: string[];
}

export interface ResourceAttributes {
  verb: string;
  group?: string;
  resource: string;
  name?: string;
  namespace?: string;
}
