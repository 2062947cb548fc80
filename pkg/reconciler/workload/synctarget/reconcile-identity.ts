// Step "identity": the syncer's identity in the SyncTarget's workspace — ServiceAccount,
// ClusterRole restricted by resourceNames to this SyncTarget, ClusterRoleBinding — and, when
// kplane deploys the syncer itself (spec.kubeconfigSecretRef), a Secret holding a token minted
// through TokenRequest for that deployment. Idempotent: objects are compared with the informer
// caches and only missing or drifted ones are (re)applied, so an unchanged world costs no
// writes. Recorded in status.syncerIdentity, with the URL of the SyncTarget's syncer view (the
// only way that identity reaches workspace objects) in status.virtualWorkspaces; condition
// SyncerAuthorized.
import { isDeepStrictEqual } from 'node:util';
import { syncerViewPath } from '../../../../apis/workload/v1alpha1/sync-contract.ts';
import { falseCondition, setCondition, trueCondition } from '../../../conditions/conditions.ts';
import { complete, fail, type Step, type StepResult } from '../../../controller/tasks.ts';
import { isConflict, isNotFound } from '../../../client/errors.ts';
import type { KubeObject } from '../../../client/object.ts';
import type { ResourceClient } from '../../../client/resource.ts';
import { syncerIdentityNames } from '../../../syncer/manifests/identity.ts';
import { applySyncerIdentity, isSyncTargetOwnerRef, syncTargetOwnerRef } from '../../../syncer/manifests/identity-apply.ts';
import { SECRET_LABEL, TOKEN_SA_UID_ANNOTATION } from './secrets.ts';
import { COND_AUTHORIZED, CONTROLLER_NAME, type StepContext } from './types.ts';

export const TOKEN_KEY = 'token';
/** Syncer tokens are long-lived (one year) and re-minted when the ServiceAccount changes. */
export const TOKEN_EXPIRATION_SECONDS = 365 * 24 * 3600;

export function tokenSecretName(serviceAccount: string): string {
  return `${serviceAccount}-token`;
}

/** Does the live object carry what we want (the fields we set)? */
export function identityDrifted(desired: KubeObject, live: KubeObject | undefined): boolean {
  if (!live) return true;
  for (const field of ['rules', 'roleRef', 'subjects'] as const) {
    if (desired[field] !== undefined && !isDeepStrictEqual(desired[field], live[field])) return true;
  }
  const labels = live.metadata.labels ?? {};
  return Object.entries(desired.metadata.labels ?? {}).some(([k, v]) => labels[k] !== v);
}

function liveOf(ctx: StepContext, obj: KubeObject): KubeObject | undefined {
  const l = ctx.deps.listers;
  switch (obj.kind) {
    case 'ServiceAccount':
      return l.serviceAccounts.cluster(ctx.cluster).namespace(obj.metadata.namespace ?? '').get(obj.metadata.name ?? '');
    case 'ClusterRole':
      return l.clusterRoles.cluster(ctx.cluster).get(obj.metadata.name ?? '');
    case 'ClusterRoleBinding':
      return l.clusterRoleBindings.cluster(ctx.cluster).get(obj.metadata.name ?? '');
    default:
      return undefined;
  }
}

/**
 * Whether kplane itself needs a token for this target's syncer: only to deploy the syncer
 * (spec.kubeconfigSecretRef), where the token goes into the manifests it applies. A syncer
 * deployed by hand gets its token from `kplane workload sync` (its own TokenRequest). Minting
 * one more for every target would leave a year-long credential nobody reads at rest in the
 * workspace, usable as the syncer by anyone who may read Secrets there; Kubernetes stopped
 * generating ServiceAccount token Secrets for that reason (KEP-2799). It was also one write
 * and one watch event per new target (docs/design.md §11, seventeenth round).
 */
export function needsSyncerToken(st: { spec?: { kubeconfigSecretRef?: unknown } | undefined }): boolean {
  return Boolean(st.spec?.kubeconfigSecretRef);
}

/**
 * A target whose syncer kplane does not deploy (any more) keeps no token Secret: one this
 * controller wrote (it names this SyncTarget as owner; the cache holds labelled Secrets only)
 * is deleted, with a uid precondition so a Secret someone recreated under the name stays.
 * Existing installations lose their unused token Secrets this way on the next reconcile.
 */
async function dropToken(ctx: StepContext, namespace: string, serviceAccount: string): Promise<void> {
  const name = tokenSecretName(serviceAccount);
  ctx.deps.mintedTokens.delete(ctx.key);
  const live = ctx.deps.listers.secrets.cluster(ctx.cluster).namespace(namespace).get(name);
  const ours = live?.metadata.ownerReferences?.some((r) => isSyncTargetOwnerRef(r) && r.uid === ctx.draft.metadata.uid);
  if (!live || !ours) return;
  try {
    await ctx.client.cluster(ctx.cluster).secrets(namespace).delete(name, { preconditions: { uid: live.metadata.uid ?? '' }, signal: ctx.signal });
  } catch (err) {
    if (!isNotFound(err) && !isConflict(err)) throw err;
  }
}

/**
 * The token Secret is looked up in the labelled cache only (every token Secret kplane writes
 * carries the label). Not there: either this controller wrote it a moment ago and the cache
 * has not caught up (`mintedTokens` says so, client-go's mutation cache in miniature), or it
 * must be minted. Asking the server instead cost every new SyncTarget a GET answered 404
 * (docs/design.md §11). A token Secret from a kplane that did not label it is minted again,
 * which the apply below labels; its old token stays valid as long as its ServiceAccount.
 */
async function ensureToken(ctx: StepContext, namespace: string, serviceAccount: string, saUid: string): Promise<string> {
  const name = tokenSecretName(serviceAccount);
  const live = ctx.deps.listers.secrets.cluster(ctx.cluster).namespace(namespace).get(name);
  let minted = ctx.deps.mintedTokens.get(ctx.key);
  // Once the cache shows our write (or a later one), it is the truth again.
  if (minted && live && Number(live.metadata.resourceVersion) >= Number(minted.resourceVersion)) {
    ctx.deps.mintedTokens.delete(ctx.key);
    minted = undefined;
  }
  if (minted) {
    if (minted.secret === `${namespace}/${name}` && minted.saUid === saUid) return name;
  } else if (live?.metadata.annotations?.[TOKEN_SA_UID_ANNOTATION] === saUid && (live.data as Record<string, string> | undefined)?.[TOKEN_KEY]) {
    return name;
  }
  const scoped = ctx.client.cluster(ctx.cluster);
  const token = await scoped.createToken(namespace, serviceAccount, TOKEN_EXPIRATION_SECONDS, { signal: ctx.signal });
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, annotations: { [TOKEN_SA_UID_ANNOTATION]: saUid }, labels: { 'app.kubernetes.io/managed-by': 'kplane', [SECRET_LABEL]: 'true' }, ownerReferences: [syncTargetOwnerRef(ctx.draft)] },
    type: 'Opaque',
    data: { [TOKEN_KEY]: Buffer.from(token).toString('base64') },
  };
  const written = await scoped.secrets(namespace).apply(secret, { fieldManager: CONTROLLER_NAME, force: true });
  ctx.deps.mintedTokens.set(ctx.key, { secret: `${namespace}/${name}`, saUid, resourceVersion: written.metadata.resourceVersion ?? '0' });
  return name;
}

/**
 * `<kplane URL><syncerViewPath>`: what a syncer puts before `/clusters/<path|*>/…`. A path in
 * kplane's URL (a proxy's) is kept, a kcp-style `/clusters/<path>` is not.
 */
export function syncerViewURL(kplaneURL: string, workspace: string, name: string, uid: string): string {
  const base = new URL(kplaneURL);
  const at = base.pathname.indexOf('/clusters/');
  const path = (at >= 0 ? base.pathname.slice(0, at) : base.pathname).replace(/\/+$/, '');
  return `${base.origin}${path}${syncerViewPath(workspace, name, uid)}`;
}

export const ensureIdentity: Step<StepContext> = {
  name: 'identity',
  async run(ctx): Promise<StepResult> {
    const now = ctx.deps.now();
    const uid = ctx.draft.metadata.uid ?? '';
    const names = syncerIdentityNames(ctx.name, uid);
    const scoped = ctx.client.cluster(ctx.cluster);
    try {
      const applied = await applySyncerIdentity(scoped, ctx.draft, { upToDate: (desired) => !identityDrifted(desired, liveOf(ctx, desired)) });
      const repaired = applied.length;
      let tokenSecret: string | undefined;
      if (needsSyncerToken(ctx.draft)) {
        // The token must match the ServiceAccount that exists now (its uid binds the JWT). The
        // apply's answer is that object, fresher than the cache, which has not seen it yet on a
        // new target: using it saves a GET per new SyncTarget.
        const sa = applied.find((o) => o.kind === 'ServiceAccount')
          ?? liveOf(ctx, { kind: 'ServiceAccount', metadata: { name: names.serviceAccount, namespace: names.namespace } })
          ?? (await scoped.serviceAccounts(names.namespace).get(names.serviceAccount));
        tokenSecret = await ensureToken(ctx, names.namespace, names.serviceAccount, sa.metadata.uid ?? '');
      } else {
        await dropToken(ctx, names.namespace, names.serviceAccount);
      }
      ctx.draft.status = {
        ...ctx.draft.status,
        syncerIdentity: { serviceAccount: names.serviceAccount, namespace: names.namespace, clusterRole: names.clusterRole, clusterRoleBinding: names.clusterRoleBinding, ...(tokenSecret ? { tokenSecret } : {}) },
        virtualWorkspaces: [{ syncerURL: syncerViewURL(ctx.deps.kplaneURL, ctx.cluster, ctx.name, uid) }],
      };
      setCondition(ctx.conditions, trueCondition(COND_AUTHORIZED), now);
      return complete(repaired > 0 ? `applied ${repaired} identity object(s)` : undefined);
    } catch (err) {
      setCondition(ctx.conditions, falseCondition(COND_AUTHORIZED, 'IdentityError', 'Warning', `cannot set up the syncer identity: ${err instanceof Error ? err.message : String(err)}`), now);
      return fail(err);
    }
  },
};

/** Delete the identity objects and token Secret (missing ones are fine). */
export async function removeIdentity(ctx: StepContext): Promise<void> {
  const uid = ctx.draft.metadata.uid ?? '';
  const names = syncerIdentityNames(ctx.name, uid);
  const scoped = ctx.client.cluster(ctx.cluster);
  const deletions: [ResourceClient, string][] = [
    [scoped.secrets(names.namespace), tokenSecretName(names.serviceAccount)],
    [scoped.clusterRoleBindings(), names.clusterRoleBinding],
    [scoped.clusterRoles(), names.clusterRole],
    [scoped.serviceAccounts(names.namespace), names.serviceAccount],
    // Written by the syncer when it beats by Lease (pkg/syncer/lease.ts); usually absent.
    [scoped.leases(names.namespace), names.lease],
  ];
  for (const [client, name] of deletions) {
    try {
      await client.delete(name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
