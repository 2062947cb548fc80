// The Secrets this controller reads — the kubeconfig Secret a SyncTarget names and the syncer
// token Secret kplane mints — carry the label SECRET_LABEL=true, and the controller's Secret
// informer selects on it: the cache holds those Secrets only, never every tenant's.
//
// kplane labels the token Secrets it writes, and looks for them in the cache only
// (reconcile-identity.ts: one written by a kplane from before the label is minted again, and
// labelled by that apply). A kubeconfig Secret without the label (as the admin created it) is
// not in the cache: getSecret then reads it from the server once and adds the label, after
// which the informer keeps it, so existing installations migrate on their next reconcile with
// no manual step. A kubeconfig Secret that does not exist yet is polled for (SECRET_POLL_MS);
// one created with the label is noticed at once through the informer.
//
// The cache does not keep the syncer tokens (tokenSecretForm): a token is a JWT of ~1.2 KB,
// base64 in the Secret, one per SyncTarget, ~10 MiB of the controllers' heap at 10,000 targets
// for a value only the deploy step reads, and only for targets kplane deploys itself.
// getSecretValue reads such a value from the server when a step needs it.
import { isNotFound } from '../../../client/errors.ts';
import type { KubeObject } from '../../../client/object.ts';
import type { NamedTransform } from '../../../informer/factory.ts';
import { stripManagedFields } from '../../../informer/informer.ts';
import type { StepContext } from './types.ts';

export const SECRET_LABEL = 'workload.kcp.io/synctarget-secret';
export const SECRET_SELECTOR = `${SECRET_LABEL}=true`;
/** How often a missing kubeconfig Secret is looked for. */
export const SECRET_POLL_MS = 5_000;

/** The ServiceAccount uid a token Secret was minted for; a recreated SA needs a new token. */
export const TOKEN_SA_UID_ANNOTATION = 'workload.kcp.io/service-account-uid';

/**
 * What the cache holds instead of a token Secret's values. Not base64 (parentheses, spaces),
 * so it can never be mistaken for a real value; non-empty, so "has a token" still reads true.
 */
export const VALUE_NOT_CACHED = '(not cached: read from the server)';

/**
 * The form the Secret cache keeps: token Secrets (those minted for a ServiceAccount, marked by
 * TOKEN_SA_UID_ANNOTATION) with each non-empty value replaced by VALUE_NOT_CACHED; every other
 * Secret (a SyncTarget's kubeconfig, read by each validation) whole. managedFields are dropped
 * as by default.
 */
export const tokenSecretForm: NamedTransform = {
  name: 'syncer-token-values-not-cached',
  apply<T extends KubeObject>(obj: T): T {
    const kept = stripManagedFields(obj);
    const data = kept.data as Record<string, string> | undefined;
    if (kept.metadata.annotations?.[TOKEN_SA_UID_ANNOTATION] === undefined || !data) return kept;
    return { ...kept, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v === '' ? '' : VALUE_NOT_CACHED])) };
  },
};

export function hasSecretLabel(o: KubeObject): boolean {
  return o.metadata.labels?.[SECRET_LABEL] === 'true';
}

/**
 * The Secret from the labelled cache, or else from the server (labelled on the way, so the
 * cache has it from then on); undefined when it does not exist. Reads within one reconcile
 * are remembered, so the steps that need the same Secret cost one request.
 */
export async function getSecret(ctx: StepContext, namespace: string, name: string): Promise<KubeObject | undefined> {
  const cached = ctx.deps.listers.secrets.cluster(ctx.cluster).namespace(namespace).get(name);
  if (cached) return cached;
  const memo = `${namespace}/${name}`;
  ctx.secretReads ??= new Map();
  if (ctx.secretReads.has(memo)) return ctx.secretReads.get(memo);
  const client = ctx.client.cluster(ctx.cluster).secrets(namespace);
  let live: KubeObject | undefined;
  try {
    live = await client.get(name);
    if (!hasSecretLabel(live)) live = await client.patch(name, 'merge', { metadata: { labels: { [SECRET_LABEL]: 'true' } } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    live = undefined;
  }
  ctx.secretReads.set(memo, live);
  return live;
}

/**
 * One value of a Secret, decoded (undefined when the Secret or the key is missing or empty).
 * From the cache when it keeps the value, from the server when the cache holds
 * VALUE_NOT_CACHED (tokenSecretForm); the server read is remembered for the reconcile.
 */
export async function getSecretValue(ctx: StepContext, namespace: string, name: string, key: string): Promise<string | undefined> {
  const secret = await getSecret(ctx, namespace, name);
  let b64 = (secret?.data as Record<string, string> | undefined)?.[key];
  if (b64 === VALUE_NOT_CACHED) {
    const memo = `${namespace}/${name}#values`;
    ctx.secretReads ??= new Map();
    let live = ctx.secretReads.get(memo);
    if (!ctx.secretReads.has(memo)) {
      try {
        live = await ctx.client.cluster(ctx.cluster).secrets(namespace).get(name, { signal: ctx.signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        live = undefined;
      }
      ctx.secretReads.set(memo, live);
    }
    b64 = (live?.data as Record<string, string> | undefined)?.[key];
  }
  return b64 ? Buffer.from(b64, 'base64').toString('utf8') : undefined;
}
