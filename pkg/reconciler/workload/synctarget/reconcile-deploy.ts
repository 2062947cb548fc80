// Step "deploy" → condition SyncerDeployed. With spec.kubeconfigSecretRef kplane applies the
// syncer to the physical cluster itself (through the SyncerDeployer) and reports the
// Deployment's availability; without it the admin applies the manifests by hand and
// SyncerDeployed says whether a syncer has ever connected (AwaitingManualDeployment until then).
import { heartbeatOf } from '../heartbeat/judge.ts';
import { type ConditionInput, falseCondition, setCondition, trueCondition } from '../../../conditions/conditions.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { complete, fail, retry, type StepResult, type Step } from '../../../controller/tasks.ts';
import { DeployError } from '../../../syncer/deploy/errors.ts';
import { COND_SYNCER_DEPLOYED, FORCE_DELETE_ANNOTATION, type StepContext } from './types.ts';
import { kubeconfigFromSecret } from './reconcile-validate.ts';
import { TOKEN_KEY } from './reconcile-identity.ts';
import { getSecret, getSecretValue } from './secrets.ts';

/** Availability of a Deployment on another cluster is polled: we have no watch there. */
export const AVAILABILITY_POLL_MS = 5_000;

async function physicalKubeconfig(ctx: StepContext): Promise<string | undefined> {
  const ref = ctx.draft.spec?.kubeconfigSecretRef;
  if (!ref) return undefined;
  const secret = await getSecret(ctx, ref.namespace, ref.name);
  return secret ? kubeconfigFromSecret(secret) : undefined;
}

async function syncerToken(ctx: StepContext): Promise<string | undefined> {
  const id = ctx.draft.status?.syncerIdentity;
  if (!id?.tokenSecret) return undefined;
  // The cache keeps no token values (secrets.ts tokenSecretForm): read from the server.
  return getSecretValue(ctx, id.namespace ?? 'default', id.tokenSecret, TOKEN_KEY);
}

export const AWAITING_MANUAL_DEPLOYMENT = 'AwaitingManualDeployment';

/**
 * SyncerDeployed of a target deployed by hand (no kubeconfigSecretRef): True once a syncer has
 * beaten. A pure function of the object, shared with the heartbeat controller, which writes
 * it together with the first beat's verdict so that beat costs one status write, not two.
 * `connected`: whether a syncer has beaten, by status or by Lease (heartbeat/judge.ts
 * heartbeatOf); without a Lease cache to ask, whether status carries a beat.
 */
export function manualDeployCondition(st: SyncTarget, connected = Boolean(st.status?.lastSyncerHeartbeatTime)): ConditionInput {
  if (connected) return trueCondition(COND_SYNCER_DEPLOYED, 'SyncerConnected', 'A syncer has connected');
  return falseCondition(COND_SYNCER_DEPLOYED, AWAITING_MANUAL_DEPLOYMENT, 'Info', `No syncer has connected yet: apply the manifests from "kplane workload sync ${st.metadata.name ?? ''}" to the physical cluster`);
}

/** The SyncerDeployer reports cluster trouble as DeployError (reasons from pkg/syncer/deploy); anything else failed before reaching the cluster. */
function describeError(err: unknown): { reason: string; message: string } {
  if (err instanceof DeployError) return { reason: err.reason, message: err.message };
  return { reason: 'ApplyFailed', message: err instanceof Error ? err.message : String(err) };
}

export const deploy: Step<StepContext> = {
  name: 'deploy',
  async run(ctx): Promise<StepResult> {
    const now = ctx.deps.now();
    if (!ctx.draft.spec?.kubeconfigSecretRef) {
      const connected = ctx.deps.heartbeat ? heartbeatOf(ctx.deps.heartbeat, ctx.draft) !== undefined : undefined;
      setCondition(ctx.conditions, manualDeployCondition(ctx.draft, connected), now);
      return complete();
    }
    const kubeconfig = await physicalKubeconfig(ctx);
    const token = await syncerToken(ctx);
    if (!kubeconfig || !token) return retry(AVAILABILITY_POLL_MS, 'waiting for the kubeconfig Secret and the syncer token');
    try {
      const status = await ctx.deps.deployer.deploy({ syncTarget: ctx.draft, cluster: ctx.cluster, physicalKubeconfig: kubeconfig, token, signal: ctx.signal });
      if (status.available) {
        setCondition(ctx.conditions, trueCondition(COND_SYNCER_DEPLOYED, status.reason, status.message), now);
        return complete();
      }
      setCondition(ctx.conditions, falseCondition(COND_SYNCER_DEPLOYED, status.reason, 'Info', status.message), now);
      return retry(AVAILABILITY_POLL_MS, status.message);
    } catch (err) {
      const d = describeError(err);
      setCondition(ctx.conditions, falseCondition(COND_SYNCER_DEPLOYED, d.reason, 'Error', d.message), now);
      return fail(err, d.message);
    }
  },
};

/**
 * Remove the syncer from the physical cluster during deletion. After maxUndeployAttempts
 * failures the status says so (phase Deleting with the reason) and tells the admin how to
 * force; retries continue with backoff meanwhile.
 */
export async function undeploy(ctx: StepContext): Promise<StepResult> {
  const st = ctx.draft;
  if (!st.spec?.kubeconfigSecretRef) return complete();
  if (st.metadata.annotations?.[FORCE_DELETE_ANNOTATION] === 'true') return complete('forced: physical cluster left as is');
  const kubeconfig = await physicalKubeconfig(ctx);
  if (!kubeconfig) return complete('kubeconfig Secret is gone: nothing to clean up with');
  try {
    await ctx.deps.deployer.undeploy({ syncTarget: st, cluster: ctx.cluster, physicalKubeconfig: kubeconfig, signal: ctx.signal });
    ctx.deps.undeployAttempts.delete(ctx.key);
    return complete();
  } catch (err) {
    const attempts = (ctx.deps.undeployAttempts.get(ctx.key) ?? 0) + 1;
    ctx.deps.undeployAttempts.set(ctx.key, attempts);
    const d = describeError(err);
    if (attempts >= ctx.deps.maxUndeployAttempts) {
      ctx.deletingMessage = `cannot remove the syncer from the physical cluster after ${attempts} attempts (${d.message}); set annotation ${FORCE_DELETE_ANNOTATION}="true" to finish deletion without cleaning it`;
    }
    return fail(err, d.message);
  }
}
