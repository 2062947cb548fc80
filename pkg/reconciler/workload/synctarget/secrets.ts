// The Secrets this controller reads — the kubeconfig Secret a SyncTarget names and the syncer
// token Secret kplane mints — carry the label SECRET_LABEL=true, and the controller's Secret
// informer selects on it: the cache holds those Secrets only, never every tenant's.
//
// kplane labels the token Secrets it writes. A Secret without the label (a kubeconfig Secret
// as the admin created it, or a token Secret written by a kplane from before the label) is not
// in the cache: getSecret then reads it from the server once and adds the label, after which
// the informer keeps it, so existing installations migrate on their next reconcile with no
// manual step. A kubeconfig Secret that does not exist yet is polled for (SECRET_POLL_MS);
// one created with the label is noticed at once through the informer.
import { isNotFound } from '../../../client/errors.ts';
import type { KubeObject } from '../../../client/object.ts';
import type { StepContext } from './types.ts';

export const SECRET_LABEL = 'workload.kcp.io/synctarget-secret';
export const SECRET_SELECTOR = `${SECRET_LABEL}=true`;
/** How often a missing kubeconfig Secret is looked for. */
export const SECRET_POLL_MS = 5_000;

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
