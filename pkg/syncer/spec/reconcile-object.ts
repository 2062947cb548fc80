// One upstream object of a synced type, placed on this SyncTarget or leaving it:
//   staying  → finalizer workload.kcp.io/syncer-<key> upstream (before any downstream write),
//              the downstream namespace, then server-side apply of the object downstream;
//   leaving  → (deletionTimestamp, or the deletion annotation on it or its namespace) delete the
//              downstream copy, then ONE upstream patch dropping finalizer, state label and
//              deletion annotation;
//   gone from the view (unlabelled by someone) → delete the downstream copy only: the view no
//              longer lets us write the upstream object.
import { deletionAnnotation, syncerFinalizer } from '../../../apis/workload/v1alpha1/sync-contract.ts';
import { stateLabelKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import type { KubeObject } from '../../client/object.ts';
import type { Result } from '../../controller/result.ts';
import type { SyncContext, TypeInformers } from '../shared/context.ts';
import { downstreamNamespaceName, locatorFor, SYNCER_FIELD_MANAGER } from '../shared/locator.ts';
import { deletionRequested, hasFinalizer, isLabelled, isPlaced } from '../shared/placement.ts';
import { deleteDownstreamObject, down, ensureDownstreamNamespace, ownDownstreamObject } from './downstream.ts';
import type { SpecKey } from './keys.ts';
import { contains, toDownstream } from './transform.ts';

/** Retry pause while a downstream copy is still being deleted (its delete event usually comes first). */
const WAIT_FOR_DOWNSTREAM_DELETE_MS = 2_000;

export interface ObjectReconcileState {
  /** The last apply body sent per key: an unchanged object whose copy is intact is not applied again. */
  lastApplied: Map<string, string>;
}

export async function reconcileObject(ctx: SyncContext, t: TypeInformers, k: SpecKey, queueKey: string, state: ObjectReconcileState, signal: AbortSignal): Promise<Result | void> {
  const key = ctx.me.key;
  const up = t.up.lister.cluster(k.cluster).namespace(k.namespace).get(k.name);
  const upNs = ctx.upNamespaces.lister.cluster(k.cluster).get(k.namespace);
  const dns = downstreamNamespaceName(locatorFor(ctx.me, k.cluster, k.namespace));

  if (!up || !isLabelled(up, key)) {
    state.lastApplied.delete(queueKey);
    ctx.health.resolved(queueKey);
    if (!(await deleteDownstreamObject(ctx, t, dns, k.name, signal))) return { requeueAfter: WAIT_FOR_DOWNSTREAM_DELETE_MS };
    return;
  }

  const asked = up.metadata.deletionTimestamp !== undefined || deletionRequested(up, key) || (upNs !== undefined && deletionRequested(upNs, key));
  if (asked || !upNs || !isPlaced(upNs, key)) {
    state.lastApplied.delete(queueKey);
    ctx.health.resolved(queueKey);
    if (!(await deleteDownstreamObject(ctx, t, dns, k.name, signal))) return { requeueAfter: WAIT_FOR_DOWNSTREAM_DELETE_MS };
    // Namespace not (yet) in the view, nobody asked: it may only be our informer lagging behind
    // the object's; leave the upstream object alone — the namespace's event re-enqueues it.
    if (!asked) return;
    await releaseUpstream(ctx, t, k, up, signal);
    return;
  }

  const current = hasFinalizer(up, key) ? up : await addFinalizer(ctx, t, k, up, signal);
  await ensureDownstreamNamespace(ctx, k.cluster, k.namespace, signal);
  const body = toDownstream(current, { apiVersion: t.type.apiVersion, kind: t.type.gvr.kind }, dns, key);
  const text = JSON.stringify(body);
  const existing = await ownDownstreamObject(ctx, t, dns, k.name, signal);
  // Unchanged upstream and still intact downstream: nothing to send. A copy edited downstream
  // (a field we set changed or gone) is applied again; fields others own are left alone.
  if (existing && state.lastApplied.get(queueKey) === text && !existing.metadata.deletionTimestamp && contains(existing, { ...body, apiVersion: undefined, kind: undefined })) {
    ctx.health.resolved(queueKey);
    return;
  }
  await down(ctx, () => ctx.downstream.resource(t.type.gvr, dns).apply(body, { fieldManager: SYNCER_FIELD_MANAGER, force: true, signal }));
  state.lastApplied.set(queueKey, text);
  ctx.health.resolved(queueKey);
}

/** Finalizer first, so that an upstream delete waits for the downstream copy to go. */
async function addFinalizer(ctx: SyncContext, t: TypeInformers, k: SpecKey, up: KubeObject, signal: AbortSignal): Promise<KubeObject> {
  const finalizers = [...(up.metadata.finalizers ?? []), syncerFinalizer(ctx.me.key)];
  // resourceVersion makes the merge patch conditional: a list changed meanwhile is a 409, retried.
  return ctx.upstream.cluster(k.cluster).resource(t.type.gvr, k.namespace).patch(k.name, 'merge', { metadata: { resourceVersion: up.metadata.resourceVersion, finalizers } }, { signal });
}

/** The one upstream write after the downstream copy is gone. */
async function releaseUpstream(ctx: SyncContext, t: TypeInformers, k: SpecKey, up: KubeObject, signal: AbortSignal): Promise<void> {
  const key = ctx.me.key;
  const finalizer = syncerFinalizer(key);
  const hasAnnotation = deletionRequested(up, key);
  if (!hasFinalizer(up, key) && !hasAnnotation && !isLabelled(up, key)) return;
  const metadata: Record<string, unknown> = { resourceVersion: up.metadata.resourceVersion };
  if (hasFinalizer(up, key)) metadata.finalizers = (up.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  metadata.labels = { [stateLabelKey(key)]: null };
  if (hasAnnotation) metadata.annotations = { [deletionAnnotation(key)]: null };
  await ctx.upstream.cluster(k.cluster).resource(t.type.gvr, k.namespace).patch(k.name, 'merge', { metadata }, { signal });
}
