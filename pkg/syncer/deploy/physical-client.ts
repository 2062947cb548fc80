// PhysicalClusterClient: the few verbs the deploy step needs against a physical cluster,
// built from a kubeconfig's text. Unlike kplane's cluster-aware client it does not assume
// /clusters/<path> URLs: a real cluster is addressed at the server root, and a kplane
// standing in for one (tests) through the /clusters/<path> its kubeconfig names.
import { kubeConfigClass } from '../../client/kubeconfig.ts';
import type { KubeObject } from '../../client/object.ts';
import { apiPath, ClusterRoleBindingGVR, ClusterRoleGVR, ConfigMapGVR, DeploymentGVR, type GVR, NamespaceGVR, SecretGVR, ServiceAccountGVR } from '../../client/gvr.ts';
import { Transport } from '../../client/transport.ts';
import { KPLANE_VERSION } from '../../version/version.ts';
import { DeployError } from './errors.ts';

const KNOWN: readonly GVR[] = [NamespaceGVR, ServiceAccountGVR, ClusterRoleGVR, ClusterRoleBindingGVR, SecretGVR, ConfigMapGVR, DeploymentGVR];

export function gvrOf(obj: KubeObject): GVR {
  const gvr = KNOWN.find((g) => (g.group === '' ? g.version : `${g.group}/${g.version}`) === obj.apiVersion && g.kind === obj.kind);
  if (!gvr) throw new DeployError('rejected', `kplane does not know how to deploy ${obj.apiVersion}/${obj.kind}`);
  return gvr;
}

export interface PhysicalClientOptions {
  /** Defaults to 15s: an unreachable cluster must not hold up a reconcile for long. */
  timeoutMs?: number;
  component?: string;
  /** Aborts every call (the reconcile's signal: a timeout, shutdown or lost lease cuts it off). */
  signal?: AbortSignal;
}

export class PhysicalClusterClient {
  readonly transport: Transport;
  /** "" for a real cluster; "/clusters/<path>" when the kubeconfig points into a kplane. */
  private readonly prefix: string;
  private readonly call: { signal?: AbortSignal };

  constructor(kubeconfigText: string, o: PhysicalClientOptions = {}) {
    this.call = o.signal ? { signal: o.signal } : {};
    // Loaded on the first deploy to a physical cluster, not with the controllers (client/kubeconfig.ts).
    const KubeConfig = kubeConfigClass();
    const kc = new KubeConfig();
    try {
      kc.loadFromString(kubeconfigText);
      if (!kc.getCurrentCluster()) throw new Error('no current cluster (current-context unset or dangling)');
      this.transport = new Transport(kc, { userAgent: `kplane/${KPLANE_VERSION} (${o.component ?? 'syncer-deployer'})`, timeoutMs: o.timeoutMs ?? 15_000 });
    } catch (err) {
      throw new DeployError('invalid-kubeconfig', `the physical cluster kubeconfig is not usable: ${(err as Error).message}`, { cause: err });
    }
    const cluster = Transport.clusterFromKubeconfig(kc);
    this.prefix = cluster ? `/clusters/${cluster}` : '';
  }

  path(gvr: GVR, namespace: string | undefined, name?: string, subresource?: string): string {
    const ns = gvr.namespaced ? `/namespaces/${encodeURIComponent(namespace || 'default')}` : '';
    return `${this.prefix}${apiPath(gvr)}${ns}/${gvr.resource}${name ? `/${encodeURIComponent(name)}` : ''}${subresource ? `/${subresource}` : ''}`;
  }

  apply<T extends KubeObject>(obj: T, fieldManager: string, force = true): Promise<T> {
    const gvr = gvrOf(obj);
    return this.transport.json<T>({
      method: 'PATCH',
      path: this.path(gvr, obj.metadata.namespace, obj.metadata.name),
      query: { fieldManager, force: force ? 'true' : undefined },
      body: obj,
      contentType: 'application/apply-patch+yaml',
      ...this.call,
    });
  }

  get<T extends KubeObject>(gvr: GVR, namespace: string | undefined, name: string): Promise<T> {
    return this.transport.json<T>({ method: 'GET', path: this.path(gvr, namespace, name), ...this.call });
  }

  delete(gvr: GVR, namespace: string | undefined, name: string): Promise<unknown> {
    return this.transport.json({ method: 'DELETE', path: this.path(gvr, namespace, name), body: { propagationPolicy: 'Background' }, ...this.call });
  }

  close(): void {
    this.transport.close();
  }
}
