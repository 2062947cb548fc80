// Bootstrap policy of every logical cluster: the four user-facing ClusterRoles
// (cluster-admin, admin, edit, view), written into root at start and into each new
// workspace when it is initialised, plus the `workspace-admin` ClusterRoleBinding that
// makes a workspace's creator its admin. Existing objects are left alone (an operator may
// have edited them), so the step is idempotent and safe on every start.
import type { PolicyRule } from '../../../apis/rbac/v1/types.ts';
import { StatusError } from '../../apierrors/errors.ts';
import type { UserInfo } from '../authn/user.ts';
import type { KObject } from '../registry/object.ts';
import type { Requester } from '../registry/strategy.ts';
import { RBAC_GROUP, type StoreSource } from './reader.ts';

/** Annotation carrying the creator of a Workspace (as kcp's experimental owner annotation). */
export const OWNER_ANNOTATION = 'experimental.tenancy.kcp.io/owner';
export const WORKSPACE_ADMIN_BINDING = 'workspace-admin';
const BOOTSTRAP_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Resources a viewer may read: everything of ours except Secrets (kube's view omits them too). */
const VIEWABLE: PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'namespaces', 'namespaces/status', 'serviceaccounts', 'events'], verbs: READ },
  { apiGroups: ['workload.kcp.io'], resources: ['synctargets', 'synctargets/status'], verbs: READ },
  { apiGroups: ['scheduling.kcp.io'], resources: ['locations', 'locations/status', 'placements', 'placements/status'], verbs: READ },
  { apiGroups: ['tenancy.kcp.io'], resources: ['workspaces'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/status'], verbs: READ },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: READ },
];

export const BOOTSTRAP_CLUSTER_ROLES: Record<string, PolicyRule[]> = {
  'cluster-admin': [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ],
  // kcp's workspace admin: everything inside the workspace, including its RBAC and child
  // workspaces, but no non-resource URLs (metrics, logs) of the server.
  admin: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  // Read/write of the workload resources; no RBAC, no child workspaces.
  edit: [
    { apiGroups: [''], resources: ['configmaps', 'secrets', 'serviceaccounts', 'events'], verbs: [...READ, ...WRITE] },
    { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
    { apiGroups: [''], resources: ['namespaces'], verbs: READ },
    { apiGroups: ['workload.kcp.io'], resources: ['synctargets', 'synctargets/status'], verbs: [...READ, ...WRITE] },
    { apiGroups: ['scheduling.kcp.io'], resources: ['locations', 'locations/status', 'placements', 'placements/status'], verbs: [...READ, ...WRITE] },
    { apiGroups: ['apps'], resources: ['deployments', 'deployments/status'], verbs: [...READ, ...WRITE] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: [...READ, ...WRITE] },
    { apiGroups: ['tenancy.kcp.io'], resources: ['workspaces'], verbs: READ },
  ],
  view: VIEWABLE,
};

export function ownerAnnotationValue(user: UserInfo | Requester): string {
  return JSON.stringify({ username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups });
}

/**
 * Workspace creation hook (installed by cmd/kplane): the creator — never a value the client
 * sent — is recorded as the owner, on every create path (POST and server-side apply).
 */
export function recordWorkspaceOwner(ws: KObject, requester: Requester | undefined): void {
  const annotations = { ...ws.metadata.annotations };
  if (requester) annotations[OWNER_ANNOTATION] = ownerAnnotationValue(requester);
  else delete annotations[OWNER_ANNOTATION];
  ws.metadata.annotations = annotations;
}

export function ownerFromAnnotation(ws: KObject): { username: string } | undefined {
  const raw = ws.metadata.annotations?.[OWNER_ANNOTATION];
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as { username?: unknown };
    return typeof v.username === 'string' && v.username !== '' ? { username: v.username } : undefined;
  } catch {
    return undefined;
  }
}

async function createIfMissing(stores: StoreSource, plural: string, cluster: string, obj: KObject): Promise<void> {
  const store = stores.store(RBAC_GROUP, plural);
  if (await store.tryGet(cluster, '', obj.metadata.name ?? '')) return;
  try {
    await store.create(cluster, '', store.prepareForCreate(cluster, '', obj));
  } catch (err) {
    if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
  }
}

export async function ensureBootstrapRoles(stores: StoreSource, cluster: string): Promise<void> {
  for (const [name, rules] of Object.entries(BOOTSTRAP_CLUSTER_ROLES)) {
    await createIfMissing(stores, 'clusterroles', cluster, {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: 'ClusterRole',
      metadata: { name, labels: { ...BOOTSTRAP_LABEL } },
      rules,
    });
  }
}

/** Bind the workspace's creator to `admin` inside it. */
export async function grantWorkspaceAdmin(stores: StoreSource, cluster: string, username: string): Promise<void> {
  await createIfMissing(stores, 'clusterrolebindings', cluster, {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name: WORKSPACE_ADMIN_BINDING },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'admin' },
    subjects: [{ apiGroup: RBAC_GROUP, kind: 'User', name: username }],
  });
}

/** The lifecycle hook run when a workspace is initialised: roles, then the creator's binding. */
export function workspaceInitializer(stores: StoreSource): (cluster: string, ws: KObject) => Promise<void> {
  return async (cluster, ws) => {
    await ensureBootstrapRoles(stores, cluster);
    const owner = ownerFromAnnotation(ws);
    if (owner) await grantWorkspaceAdmin(stores, cluster, owner.username);
  };
}
