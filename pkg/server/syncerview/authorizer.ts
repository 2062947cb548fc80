// Who may use a syncer view: the SyncTarget's own syncer identity — the ServiceAccount the
// SyncTarget reconciler made and recorded in status.syncerIdentity, in the SyncTarget's
// workspace — and system:masters. Nobody else, whatever RBAC they hold: a tenant admin of the
// workspace is refused too, so the view is never a way around the confinement it implements.
// (kcp asks RBAC for the `sync` verb on the SyncTarget; kplane checks the recorded identity,
// so no RoleBinding can widen who syncs.)
//
// The order keeps outsiders blind: a caller that is neither a master nor a ServiceAccount of
// the SyncTarget's workspace gets 403 before anything is looked up, so it cannot learn which
// SyncTargets exist. A master or a ServiceAccount of that workspace learns 404 for an unknown
// SyncTarget or a uid that is not (any more) the SyncTarget's — a syncer of a deleted and
// recreated SyncTarget is told its view is gone.
import { StatusError } from '../../apierrors/errors.ts';
import { boundCluster, SA_USER_PREFIX } from '../authn/satoken.ts';
import type { UserInfo } from '../authn/user.ts';
import { MASTERS_GROUP } from '../authz/authorizer.ts';
import { isPlainObject, type KObject } from '../registry/object.ts';
import type { SyncerViewRef } from '../request/requestinfo.ts';

/** What the view needs of a SyncTarget. */
export interface SyncTargetFacts {
  metadata: { uid?: string | undefined };
  status?: { syncerIdentity?: { serviceAccount: string; namespace?: string | undefined } | undefined } | undefined;
}

/** The facts of a stored SyncTarget, read defensively (storage holds untyped objects). */
export function syncTargetFacts(obj: KObject): SyncTargetFacts {
  const id = isPlainObject(obj.status) && isPlainObject(obj.status.syncerIdentity) ? obj.status.syncerIdentity : undefined;
  const serviceAccount = typeof id?.serviceAccount === 'string' ? id.serviceAccount : undefined;
  const namespace = typeof id?.namespace === 'string' ? id.namespace : undefined;
  return {
    metadata: { uid: obj.metadata.uid },
    ...(serviceAccount ? { status: { syncerIdentity: { serviceAccount, namespace } } } : {}),
  };
}

/** Reads a SyncTarget (undefined when absent); the server reads its registry store. */
export type SyncTargetGetter = (workspace: string, name: string) => Promise<SyncTargetFacts | undefined>;

function viewName(view: SyncerViewRef): string {
  return `${view.workspace}/${view.syncTarget}/${view.uid}`;
}

function forbidden(user: UserInfo, view: SyncerViewRef, why: string): StatusError {
  return new StatusError('Forbidden', `forbidden: User "${user.username}" cannot use the syncer view of SyncTarget ${viewName(view)}: ${why}`, {
    group: 'workload.kcp.io',
    kind: 'synctargets',
    name: view.syncTarget,
  });
}

function notFound(view: SyncerViewRef): StatusError {
  return new StatusError('NotFound', `synctargets.workload.kcp.io "${view.syncTarget}" with uid "${view.uid}" not found in workspace "${view.workspace}"`, {
    group: 'workload.kcp.io',
    kind: 'synctargets',
    name: view.syncTarget,
  });
}

export class SyncerViewAuthorizer {
  private readonly getSyncTarget: SyncTargetGetter;

  constructor(getSyncTarget: SyncTargetGetter) {
    this.getSyncTarget = getSyncTarget;
  }

  /** Resolves when `user` may use the view; throws a 403 or 404 StatusError otherwise. */
  async authorize(user: UserInfo, view: SyncerViewRef): Promise<void> {
    const master = user.groups.includes(MASTERS_GROUP);
    if (!master && boundCluster(user) !== view.workspace) {
      throw forbidden(user, view, 'only the SyncTarget\'s syncer identity may use its view');
    }
    const st = await this.getSyncTarget(view.workspace, view.syncTarget);
    if (!st || st.metadata.uid !== view.uid) throw notFound(view);
    if (master) return;
    const id = st.status?.syncerIdentity;
    if (!id) throw forbidden(user, view, 'the SyncTarget has no syncer identity yet');
    if (user.username !== `${SA_USER_PREFIX}${id.namespace ?? 'default'}:${id.serviceAccount}`) {
      throw forbidden(user, view, 'only the SyncTarget\'s syncer identity may use its view');
    }
  }
}
