// The library behind the SyncTarget reconciler's deploy step: put a syncer's manifests on
// its physical cluster, take them off again, and tell whether the syncer is running.
// Every function takes the physical cluster's kubeconfig as text (from the Secret named by
// spec.kubeconfigSecretRef) and throws only DeployError — or, when `o.signal` aborted the work,
// the client's RequestAbortedError (an abort is not a fact about the physical cluster).
import type { KubeObject } from '../../client/object.ts';
import { isAborted, isNotFound } from '../../client/errors.ts';
import { DeploymentGVR } from '../../client/gvr.ts';
import { classifyDeployError, DeployError } from './errors.ts';
import { gvrOf, PhysicalClusterClient, type PhysicalClientOptions } from './physical-client.ts';

export const DEFAULT_FIELD_MANAGER = 'kplane';

export interface DeployOptions extends PhysicalClientOptions {
  /** Server-side apply field manager; defaults to "kplane". */
  fieldManager?: string;
}

function describe(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

async function withClient<T>(kubeconfigText: string, o: DeployOptions, fn: (c: PhysicalClusterClient) => Promise<T>): Promise<T> {
  const c = new PhysicalClusterClient(kubeconfigText, o);
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

/**
 * Server-side apply every object in order (the renderer's order is the dependency order),
 * forcing ownership: kplane is the authority on these objects. Idempotent. Stops at the first
 * failure, naming the object.
 */
export async function applySyncerManifests(kubeconfigText: string, objects: readonly KubeObject[], o: DeployOptions = {}): Promise<KubeObject[]> {
  return withClient(kubeconfigText, o, async (c) => {
    const applied: KubeObject[] = [];
    for (const obj of objects) {
      try {
        gvrOf(obj);
        applied.push(await c.apply(obj, o.fieldManager ?? DEFAULT_FIELD_MANAGER));
      } catch (err) {
        if (isAborted(err)) throw err;
        throw classifyDeployError(err, `applying ${describe(obj)}`);
      }
    }
    return applied;
  });
}

/** Delete in reverse dependency order; already gone is fine. Resolves with what was deleted. */
export async function deleteSyncerManifests(kubeconfigText: string, objects: readonly KubeObject[], o: DeployOptions = {}): Promise<string[]> {
  return withClient(kubeconfigText, o, async (c) => {
    const deleted: string[] = [];
    for (const obj of [...objects].reverse()) {
      try {
        await c.delete(gvrOf(obj), obj.metadata.namespace, obj.metadata.name ?? '');
        deleted.push(describe(obj));
      } catch (err) {
        if (isNotFound(err)) continue;
        if (isAborted(err)) throw err;
        throw classifyDeployError(err, `deleting ${describe(obj)}`);
      }
    }
    return deleted;
  });
}

export interface Availability {
  available: boolean;
  /** CamelCase condition reason: DeploymentAvailable, DeploymentUnavailable, DeploymentNotFound, or a DeployError reason. */
  reason: string;
  message: string;
  /** Set when the check itself failed (not when the Deployment is merely not ready). */
  error?: DeployError;
}

/** Whether the syncer Deployment among `objects` has an available replica. Throws only when aborted. */
export async function syncerDeploymentAvailable(kubeconfigText: string, objects: readonly KubeObject[], o: DeployOptions = {}): Promise<Availability> {
  const dep = objects.find((x) => x.kind === 'Deployment');
  if (!dep) return { available: false, reason: 'DeploymentNotFound', message: 'the manifests contain no Deployment' };
  const what = describe(dep);
  try {
    return await withClient(kubeconfigText, o, async (c) => {
      let live: KubeObject;
      try {
        live = await c.get(DeploymentGVR, dep.metadata.namespace, dep.metadata.name ?? '');
      } catch (err) {
        if (isNotFound(err)) return { available: false, reason: 'DeploymentNotFound', message: `${what} does not exist on the physical cluster` };
        throw err;
      }
      const status = (live.status ?? {}) as { availableReplicas?: number; conditions?: { type: string; status: string; message?: string }[] };
      const wanted = ((live.spec ?? {}) as { replicas?: number }).replicas ?? 1;
      const available = status.availableReplicas ?? 0;
      if (wanted > 0 && available >= 1) return { available: true, reason: 'DeploymentAvailable', message: `${what}: ${available}/${wanted} replicas available` };
      const cond = status.conditions?.find((x) => x.type === 'Available' && x.status !== 'True')?.message;
      return { available: false, reason: 'DeploymentUnavailable', message: `${what}: ${available}/${wanted} replicas available${cond ? `: ${cond}` : ''}` };
    });
  } catch (err) {
    if (isAborted(err)) throw err;
    const e = classifyDeployError(err, `reading ${what}`);
    return { available: false, reason: e.reason, message: e.message, error: e };
  }
}
