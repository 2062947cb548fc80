// Renders what runs one SyncTarget's syncer on its physical cluster, kcp-style, as plain
// objects in dependency order (apply front to back, delete back to front):
//   Namespace → ServiceAccount → ClusterRole → ClusterRoleBinding → Secret (kubeconfig for
//   kplane) → Deployment (Recreate, 1 replica, non-root, read-only root filesystem).
// Pure: same input, same bytes (no clocks, no randomness), so re-applies are no-ops.
import { stringify } from 'yaml';
import type { KubeObject } from '../../client/object.ts';
import { IMAGE_SYNCER_COMMAND, IMAGE_UID } from './image.ts';
import { renderSyncerKubeconfig } from './kubeconfig.ts';
import { syncerLabels, syncerResourceName } from './names.ts';

export interface RenderInput {
  syncTarget: { metadata: { name?: string | undefined; uid?: string | undefined } };
  /** Logical cluster path of the SyncTarget, e.g. root:org:team (the syncer's --from-cluster). */
  workspace: string;
  /** kplane's external URL (any /clusters/... suffix is dropped). */
  kplaneURL: string;
  caPem: string;
  /** Bearer token of the syncer identity in the workspace. */
  token: string;
  image: string;
  /** e.g. "20s"; defaults to 20s. */
  heartbeatPeriod?: string | undefined;
  /** Beat by renewing a Lease (kplane-syncer --heartbeat-lease). */
  heartbeatLease?: boolean | undefined;
  /** Passed as --capacity when set (e.g. cpu=8,memory=32Gi). */
  capacity?: Record<string, string> | undefined;
  /** Passed as --resources; defaults to DEFAULT_SYNCED_RESOURCES. */
  resources?: readonly string[] | undefined;
}

/**
 * What a rendered syncer syncs unless told otherwise: the types of issue 12's walk (a
 * Deployment with its Service, ConfigMaps and Secrets). `spec.supportedAPIExports` names
 * APIExports, which kplane does not have, so it cannot say; `kplane workload sync --resources`
 * can. Types the physical cluster does not serve are reported Incompatible, never fatal.
 */
export const DEFAULT_SYNCED_RESOURCES: readonly string[] = ['deployments.apps', 'services', 'configmaps', 'secrets'];

/** Where the kubeconfig Secret is mounted in the syncer container. */
export const KUBECONFIG_MOUNT_DIR = '/etc/kplane-syncer';
export const KUBECONFIG_KEY = 'kubeconfig';
export const SYNCER_CONTAINER = 'kplane-syncer';

export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

/** The syncer's command-line, shared with `kplane workload sync` and the fake cluster runner. */
export function syncerArgs(o: { kubeconfigPath: string; workspace: string; name: string; uid: string; heartbeatPeriod: string; heartbeatLease?: boolean | undefined; capacity?: Record<string, string> | undefined; resources?: readonly string[] | undefined }): string[] {
  const args = [
    `--from-kubeconfig=${o.kubeconfigPath}`,
    `--from-cluster=${o.workspace}`,
    `--sync-target-name=${o.name}`,
    `--sync-target-uid=${o.uid}`,
    `--heartbeat-period=${o.heartbeatPeriod}`,
  ];
  if (o.heartbeatLease) args.push('--heartbeat-lease=true');
  if (o.capacity && Object.keys(o.capacity).length > 0) {
    args.push(`--capacity=${Object.entries(o.capacity).map(([k, v]) => `${k}=${v}`).join(',')}`);
  }
  // No --to-kubeconfig: in the physical cluster the syncer reaches it with its service account.
  if (o.resources && o.resources.length > 0) args.push(`--resources=${o.resources.join(',')}`);
  return args;
}

export function renderSyncerManifests(input: RenderInput): KubeObject[] {
  const name = input.syncTarget.metadata.name;
  const uid = input.syncTarget.metadata.uid;
  if (!name || !uid) throw new RenderError('the SyncTarget needs a name and a uid (render from a stored object)');
  for (const [field, v] of [['workspace', input.workspace], ['kplaneURL', input.kplaneURL], ['token', input.token], ['image', input.image], ['caPem', input.caPem]] as const) {
    if (!v) throw new RenderError(`${field} is required`);
  }
  const id = syncerResourceName(name, uid);
  const labels = syncerLabels(name, uid);
  const annotations = { 'workload.kcp.io/sync-target-workspace': input.workspace, 'workload.kcp.io/sync-target-uid': uid };
  const meta = (namespaced: boolean) => ({ name: id, ...(namespaced ? { namespace: id } : {}), labels: { ...labels }, annotations: { ...annotations } });

  const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: meta(false) };
  const serviceAccount: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(true) };
  // Downstream RBAC: the cluster's size, its `kcp-<hash>` namespaces and the objects of exactly
  // the types it syncs (read, and written by apply). Kept explicit, never "*".
  const resources = input.resources ?? DEFAULT_SYNCED_RESOURCES;
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const dot = r.indexOf('.');
    const [resource, group] = dot < 0 ? [r, ''] : [r.slice(0, dot), r.slice(dot + 1)];
    byGroup.set(group, [...(byGroup.get(group) ?? []), resource]);
  }
  const write = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
  const clusterRole: KubeObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta(false),
    rules: [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['namespaces'], verbs: write },
      ...[...byGroup].map(([group, rs]) => ({ apiGroups: [group], resources: rs, verbs: write })),
    ],
  };
  const clusterRoleBinding: KubeObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta(false),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: id },
    subjects: [{ kind: 'ServiceAccount', name: id, namespace: id }],
  };
  const kubeconfig = renderSyncerKubeconfig({ server: input.kplaneURL, caPem: input.caPem, token: input.token });
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(true),
    type: 'Opaque',
    data: { [KUBECONFIG_KEY]: Buffer.from(kubeconfig).toString('base64') },
  };
  const podLabels = { 'app.kubernetes.io/name': 'kplane-syncer', 'app.kubernetes.io/instance': id };
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(true),
    spec: {
      replicas: 1,
      // Two syncers for one SyncTarget would fight over its heartbeat: never run old and new at once.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels },
        spec: {
          serviceAccountName: id,
          // The syncer talks to this cluster's API (Nodes for capacity, the synced objects) as its
          // service account: in-cluster config reads the mounted token.
          automountServiceAccountToken: true,
          securityContext: { runAsNonRoot: true, runAsUser: IMAGE_UID, runAsGroup: IMAGE_UID, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: SYNCER_CONTAINER,
              image: input.image,
              // kplane's image carries both binaries and defaults to `kplane`: name the syncer's.
              command: [...IMAGE_SYNCER_COMMAND],
              args: syncerArgs({ kubeconfigPath: `${KUBECONFIG_MOUNT_DIR}/${KUBECONFIG_KEY}`, workspace: input.workspace, name, uid, heartbeatPeriod: input.heartbeatPeriod ?? '20s', heartbeatLease: input.heartbeatLease, capacity: input.capacity, resources }),
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'kplane-kubeconfig', mountPath: KUBECONFIG_MOUNT_DIR, readOnly: true }],
            },
          ],
          volumes: [{ name: 'kplane-kubeconfig', secret: { secretName: id, items: [{ key: KUBECONFIG_KEY, path: KUBECONFIG_KEY }] } }],
        },
      },
    },
  };
  return [namespace, serviceAccount, clusterRole, clusterRoleBinding, secret, deployment];
}

/** Multi-document YAML, in the given (dependency) order. */
export function toMultiDocYAML(objects: readonly KubeObject[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}
