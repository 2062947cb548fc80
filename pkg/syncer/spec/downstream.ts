// Writes to the physical cluster, each checking first that what it touches is the syncer's
// own: a downstream namespace carrying our locator, an object carrying our
// internal.workload.kcp.io/cluster label. Something else of the same name is never
// overwritten or deleted (DownstreamConflictError). Every call reports reachability to the
// SyncHealth the heartbeat turns into the ResourcesSynced condition.
import { isDeepStrictEqual } from 'node:util';
import { isStatusError } from '../../apierrors/errors.ts';
import { isNotFound } from '../../client/errors.ts';
import type { KubeObject } from '../../client/object.ts';
import { TransientError } from '../../controller/errors.ts';
import type { SyncContext, TypeInformers } from '../shared/context.ts';
import { DOWNSTREAM_CLUSTER_LABEL, downstreamNamespaceName, locatorFor, locatorJSON, locatorOf, NAMESPACE_LOCATOR_ANNOTATION, type NamespaceLocator, SYNCER_FIELD_MANAGER } from '../shared/locator.ts';

/** A downstream object of the same name exists and was not made by this syncer. Not retried. */
export class DownstreamConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownstreamConflictError';
  }
}

/** The physical cluster did not answer (network, timeout, 5xx): worth the ResourcesSynced condition. */
export function isUnreachable(err: unknown): boolean {
  return isStatusError(err, 'ServiceUnavailable') || isStatusError(err, 'Timeout') || isStatusError(err, 'InternalError') || isStatusError(err, 'TooManyRequests');
}

/** Run one downstream call, recording whether the physical cluster answered. */
export async function down<T>(ctx: SyncContext, call: () => Promise<T>): Promise<T> {
  try {
    const r = await call();
    ctx.health.downstreamOk();
    return r;
  } catch (err) {
    if (isUnreachable(err)) ctx.health.downstreamFailed(err instanceof Error ? err.message : String(err), ctx.now());
    else if (isStatusError(err)) ctx.health.downstreamOk(); // it answered, with an error
    throw err;
  }
}

async function getOrUndefined(ctx: SyncContext, call: () => Promise<KubeObject>): Promise<KubeObject | undefined> {
  try {
    return await down(ctx, call);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function isOurNamespace(ns: KubeObject, loc: NamespaceLocator): boolean {
  return isDeepStrictEqual(locatorOf(ns.metadata.annotations), loc);
}

/** The downstream namespace of upstream `cluster`/`namespace`, created (by apply) when missing. */
export async function ensureDownstreamNamespace(ctx: SyncContext, cluster: string, namespace: string, signal: AbortSignal): Promise<string> {
  const loc = locatorFor(ctx.me, cluster, namespace);
  const name = downstreamNamespaceName(loc);
  let existing = ctx.downNamespaces.lister.cluster('').get(name);
  existing ??= await getOrUndefined(ctx, () => ctx.downstream.namespaces().get(name, { signal }));
  if (existing && !isOurNamespace(existing, loc)) {
    throw new DownstreamConflictError(`namespace ${name} on the physical cluster was not made for ${cluster}/${namespace} (its ${NAMESPACE_LOCATOR_ANNOTATION} differs)`);
  }
  if (existing?.metadata.deletionTimestamp) throw new TransientError(`namespace ${name} on the physical cluster is still terminating`);
  if (existing && existing.metadata.labels?.[DOWNSTREAM_CLUSTER_LABEL] === ctx.me.key) return name;
  await down(ctx, () => ctx.downstream.namespaces().apply({
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name, labels: { [DOWNSTREAM_CLUSTER_LABEL]: ctx.me.key }, annotations: { [NAMESPACE_LOCATOR_ANNOTATION]: locatorJSON(loc) } },
  }, { fieldManager: SYNCER_FIELD_MANAGER, force: true, signal }));
  return name;
}

/** Delete the downstream namespace of `cluster`/`namespace` if it is ours; true once it is gone or going. */
export async function deleteDownstreamNamespace(ctx: SyncContext, cluster: string, namespace: string, signal: AbortSignal): Promise<void> {
  const loc = locatorFor(ctx.me, cluster, namespace);
  const name = downstreamNamespaceName(loc);
  const existing = ctx.downNamespaces.lister.cluster('').get(name) ?? await getOrUndefined(ctx, () => ctx.downstream.namespaces().get(name, { signal }));
  if (!existing || !isOurNamespace(existing, loc) || existing.metadata.deletionTimestamp) return;
  try {
    await down(ctx, () => ctx.downstream.namespaces().delete(name, { ...(existing.metadata.uid ? { preconditions: { uid: existing.metadata.uid } } : {}), signal }));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** The downstream object if it exists and is ours; undefined when absent; throws DownstreamConflictError when someone else's. */
export async function ownDownstreamObject(ctx: SyncContext, t: TypeInformers, namespace: string, name: string, signal: AbortSignal): Promise<KubeObject | undefined> {
  const cached = t.down.lister.cluster('').namespace(namespace).get(name);
  if (cached) return cached;
  const live = await getOrUndefined(ctx, () => ctx.downstream.resource(t.type.gvr, namespace).get(name, { signal }));
  if (!live) return undefined;
  const managed = (live.metadata.managedFields ?? []).some((m) => m.manager === SYNCER_FIELD_MANAGER);
  if (live.metadata.labels?.[DOWNSTREAM_CLUSTER_LABEL] === ctx.me.key || managed) return live;
  throw new DownstreamConflictError(`${t.type.name} ${namespace}/${name} exists on the physical cluster and was not made by this syncer`);
}

/** Delete our downstream copy; true when it is gone (or was never ours to delete). */
export async function deleteDownstreamObject(ctx: SyncContext, t: TypeInformers, namespace: string, name: string, signal: AbortSignal): Promise<boolean> {
  let obj: KubeObject | undefined;
  try {
    obj = await ownDownstreamObject(ctx, t, namespace, name, signal);
  } catch (err) {
    // Someone else's object: nothing of ours is there.
    if (err instanceof DownstreamConflictError) return true;
    throw err;
  }
  if (!obj) return true;
  if (obj.metadata.deletionTimestamp) return false;
  try {
    const r = await down(ctx, () => ctx.downstream.resource(t.type.gvr, namespace).delete(name, { ...(obj.metadata.uid ? { preconditions: { uid: obj.metadata.uid } } : {}), signal }));
    // A Status: gone at once. The object: downstream finalizers hold it; its delete event re-enqueues us.
    return (r as { kind?: string }).kind === 'Status' || ((r as KubeObject).metadata?.finalizers ?? []).length === 0;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}
