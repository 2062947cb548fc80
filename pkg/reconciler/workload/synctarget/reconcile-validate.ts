// Step "validate": prerequisites → condition Valid. An invalid spec is a permanent problem:
// the step waits (no requeue) until the object or the Secret it names changes. A kubeconfig
// Secret that does not exist yet is looked for again every SECRET_POLL_MS (see secrets.ts:
// the informer sees only labelled Secrets, so an unlabelled one created later sends no event).
import { tryParseQuantity } from '../../../../apis/meta/v1/quantity.ts';
import { falseCondition, setCondition, trueCondition } from '../../../conditions/conditions.ts';
import { complete, retry, type Step, type StepResult, wait } from '../../../controller/tasks.ts';
import { kubeConfigClass } from '../../../client/kubeconfig.ts';
import type { KubeObject } from '../../../client/object.ts';
import { getSecret, SECRET_POLL_MS } from './secrets.ts';
import { COND_VALID, type StepContext } from './types.ts';

export const KUBECONFIG_KEY = 'kubeconfig';

export interface Invalid {
  reason: string;
  message: string;
}

/**
 * Returns why the SyncTarget cannot be used, or undefined when it is valid. `kubeconfigSecret`
 * is the Secret spec.kubeconfigSecretRef names (undefined when absent or not named).
 */
export function findInvalid(ctx: StepContext, kubeconfigSecret: KubeObject | undefined): Invalid | undefined {
  const spec = ctx.draft.spec ?? { cluster: '' };
  if (!spec.cluster) return { reason: 'MissingCluster', message: 'spec.cluster must name the physical cluster' };
  if (!spec.cells || Object.keys(spec.cells).length === 0) return { reason: 'MissingCells', message: 'spec.cells must name at least one cell' };
  for (const [resource, q] of Object.entries(spec.capacity ?? {})) {
    const v = tryParseQuantity(String(q));
    if (v === undefined || v.value < 0) return { reason: 'InvalidCapacity', message: `spec.capacity.${resource}: "${String(q)}" is not a non-negative quantity` };
  }
  const ref = spec.kubeconfigSecretRef;
  if (ref) {
    const secret = kubeconfigSecret;
    if (!secret) return { reason: 'SecretNotFound', message: `Secret ${ref.namespace}/${ref.name} named by spec.kubeconfigSecretRef does not exist` };
    const text = kubeconfigFromSecret(secret);
    if (text === undefined) return { reason: 'InvalidKubeconfig', message: `Secret ${ref.namespace}/${ref.name} has no "${KUBECONFIG_KEY}" key` };
    const problem = kubeconfigProblem(text);
    if (problem) return { reason: 'InvalidKubeconfig', message: `Secret ${ref.namespace}/${ref.name}: ${problem}` };
  }
  return undefined;
}

export function kubeconfigFromSecret(secret: KubeObject): string | undefined {
  const data = secret.data as Record<string, string> | undefined;
  const b64 = data?.[KUBECONFIG_KEY];
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
}

function kubeconfigProblem(text: string): string | undefined {
  try {
    // Loaded here, on the first kubeconfig Secret, not with the controllers (client/kubeconfig.ts).
    const KubeConfig = kubeConfigClass();
    const kc = new KubeConfig();
    kc.loadFromString(text);
    const cluster = kc.getCurrentCluster();
    if (!cluster) return 'the kubeconfig has no current context with a cluster';
    new URL(cluster.server);
    return undefined;
  } catch (err) {
    return `the kubeconfig cannot be parsed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
}

export const validate: Step<StepContext> = {
  name: 'validate',
  async run(ctx): Promise<StepResult> {
    const now = ctx.deps.now();
    const ref = ctx.draft.spec?.kubeconfigSecretRef;
    const secret = ref ? await getSecret(ctx, ref.namespace, ref.name) : undefined;
    const invalid = findInvalid(ctx, secret);
    if (invalid) {
      setCondition(ctx.conditions, falseCondition(COND_VALID, invalid.reason, 'Error', invalid.message), now);
      return invalid.reason === 'SecretNotFound' ? retry(SECRET_POLL_MS, invalid.message) : wait(invalid.message);
    }
    setCondition(ctx.conditions, trueCondition(COND_VALID), now);
    return complete();
  },
};
