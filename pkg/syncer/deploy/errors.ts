// What can go wrong when kplane talks to a physical cluster, as condition-ready reasons.
// The reconciler maps a DeployError to `SyncerDeployed=False` with `reason`/`message` and
// retries every kind alike: the deploy step fails and the controller's rate limiter paces the
// next attempt (reconcile-deploy.ts).
import { StatusError } from '../../apierrors/errors.ts';

export type DeployErrorKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'rejected' | 'invalid-kubeconfig';

/** Condition reasons, CamelCase as kube conventions want. */
export const DEPLOY_REASONS: Readonly<Record<DeployErrorKind, string>> = {
  unreachable: 'PhysicalClusterUnreachable',
  unauthorized: 'PhysicalClusterUnauthorized',
  forbidden: 'PhysicalClusterForbidden',
  rejected: 'ManifestRejected',
  'invalid-kubeconfig': 'InvalidKubeconfig',
};

export class DeployError extends Error {
  readonly kind: DeployErrorKind;
  readonly reason: string;

  constructor(kind: DeployErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployError';
    this.kind = kind;
    this.reason = DEPLOY_REASONS[kind];
  }
}

/** Normalise anything thrown while talking to the physical cluster; `what` says what we did. */
export function classifyDeployError(err: unknown, what: string): DeployError {
  if (err instanceof DeployError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof StatusError) {
    switch (err.reason) {
      case 'Unauthorized':
        return new DeployError('unauthorized', `${what}: the physical cluster rejected the credentials of the kubeconfig (401): ${detail}`, { cause: err });
      case 'Forbidden':
        return new DeployError('forbidden', `${what}: the kubeconfig's identity is not allowed to do this on the physical cluster (403): ${detail}`, { cause: err });
      case 'Invalid':
      case 'BadRequest':
      case 'UnsupportedMediaType':
      case 'MethodNotAllowed':
      case 'NotFound':
      case 'RequestEntityTooLarge':
      case 'NotAcceptable':
        return new DeployError('rejected', `${what}: the physical cluster rejected the request (${err.code} ${err.reason}): ${detail}`, { cause: err });
      default:
        return new DeployError('unreachable', `${what}: ${err.code >= 500 ? `the physical cluster failed (${err.code})` : `temporary error (${err.reason})`}: ${detail}`, { cause: err });
    }
  }
  return new DeployError('unreachable', `${what}: ${detail}`, { cause: err });
}
