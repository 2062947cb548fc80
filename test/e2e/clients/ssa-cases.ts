// One apply scenario per served, appliable type: v1 is applied client-side then server-side,
// v2 changes one field of the type and the `team` label, v3 drops one field (`dropped` reads
// it back: undefined once gone) and the `tier` label.
type Json = Record<string, unknown>;

export interface ApplyCase {
  kind: string;
  /** What `kubectl get` takes. */
  resource: string;
  name: string;
  namespaced: boolean;
  v1: Json;
  v2: Json;
  v3: Json;
  dropped: (obj: Json) => unknown;
}

const at = (obj: unknown, ...path: (string | number)[]): unknown => {
  let v = obj;
  for (const p of path) v = v === null || typeof v !== 'object' ? undefined : (v as Record<string | number, unknown>)[p];
  return v;
};

/** Builds a case: `body(step)` gives the type's own fields for steps 1..3. */
function kase(apiVersion: string, kind: string, resource: string, namespaced: boolean, body: (step: 1 | 2 | 3) => Json, dropped: (obj: Json) => unknown): ApplyCase {
  const name = `mig-${kind.toLowerCase()}`;
  const make = (step: 1 | 2 | 3): Json => ({
    apiVersion,
    kind,
    metadata: { name, ...(namespaced ? { namespace: 'default' } : {}), labels: step === 3 ? { team: 'b' } : { team: step === 1 ? 'a' : 'b', tier: 'x' } },
    ...body(step),
  });
  return { kind, resource, name, namespaced, v1: make(1), v2: make(2), v3: make(3), dropped };
}

const RBAC = 'rbac.authorization.k8s.io';
const rules = (verbs: string[]) => [{ apiGroups: [''], resources: ['configmaps'], verbs }];
const subjects = (step: number) => [
  { kind: 'User', apiGroup: RBAC, name: 'alice' },
  ...(step >= 2 ? [{ kind: 'User', apiGroup: RBAC, name: 'bob' }] : []),
];

export const APPLY_CASES: ApplyCase[] = [
  kase('v1', 'ConfigMap', 'configmap', true,
    (s) => ({ data: s === 1 ? { a: '1', b: '2' } : s === 2 ? { a: 'changed', b: '2' } : { a: 'changed' } }),
    (o) => at(o, 'data', 'b')),
  kase('v1', 'Secret', 'secret', true,
    (s) => ({ type: 'Opaque', data: s === 1 ? { a: 'MQ==', b: 'Mg==' } : s === 2 ? { a: 'Mw==', b: 'Mg==' } : { a: 'Mw==' } }),
    (o) => at(o, 'data', 'b')),
  kase('v1', 'Namespace', 'namespace', false,
    () => ({}),
    (o) => at(o, 'metadata', 'labels', 'tier')),
  kase('v1', 'ServiceAccount', 'serviceaccount', true,
    (s) => ({ automountServiceAccountToken: s === 1, ...(s < 3 ? { imagePullSecrets: [{ name: 'pull' }] } : {}) }),
    (o) => at(o, 'imagePullSecrets')),
  kase('v1', 'Event', 'event', true,
    (s) => ({
      involvedObject: { kind: 'ConfigMap', namespace: 'default', name: 'mig-configmap', apiVersion: 'v1' },
      message: s === 1 ? 'first' : 'second',
      type: 'Normal',
      ...(s < 3 ? { reason: 'Testing' } : {}),
    }),
    (o) => at(o, 'reason')),
  kase('apps/v1', 'Deployment', 'deployment', true,
    (s) => ({
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'web', image: s === 1 ? 'nginx:1' : 'nginx:2', ports: [{ containerPort: 80 }] },
              ...(s < 3 ? [{ name: 'side', image: 'busybox' }] : []),
            ],
          },
        },
      },
    }),
    (o) => (at(o, 'spec', 'template', 'spec', 'containers') as Json[]).find((c) => c.name === 'side')),
  kase('coordination.k8s.io/v1', 'Lease', 'lease', true,
    (s) => ({ spec: { holderIdentity: s === 1 ? 'a' : 'b', ...(s < 3 ? { leaseDurationSeconds: 15 } : {}) } }),
    (o) => at(o, 'spec', 'leaseDurationSeconds')),
  kase(`${RBAC}/v1`, 'Role', 'role', true,
    (s) => ({ rules: rules(s === 1 ? ['get'] : ['get', 'list']) }),
    (o) => at(o, 'metadata', 'labels', 'tier')),
  kase(`${RBAC}/v1`, 'ClusterRole', 'clusterrole', false,
    (s) => ({ rules: rules(s === 1 ? ['get'] : ['get', 'watch']) }),
    (o) => at(o, 'metadata', 'labels', 'tier')),
  kase(`${RBAC}/v1`, 'RoleBinding', 'rolebinding', true,
    (s) => ({ roleRef: { apiGroup: RBAC, kind: 'Role', name: 'mig-role' }, ...(s < 3 ? { subjects: subjects(s) } : {}) }),
    (o) => at(o, 'subjects')),
  kase(`${RBAC}/v1`, 'ClusterRoleBinding', 'clusterrolebinding', false,
    (s) => ({ roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'mig-clusterrole' }, ...(s < 3 ? { subjects: subjects(s) } : {}) }),
    (o) => at(o, 'subjects')),
  kase('tenancy.kcp.io/v1alpha1', 'Workspace', 'workspace', false,
    () => ({}),
    (o) => at(o, 'metadata', 'labels', 'tier')),
  kase('workload.kcp.io/v1alpha1', 'SyncTarget', 'synctarget', false,
    (s) => ({ spec: { cluster: s === 1 ? 'phys-1' : 'phys-2', ...(s < 3 ? { cells: { region: 'eu' } } : {}), capacity: { cpu: '8' } } }),
    (o) => at(o, 'spec', 'cells')),
];
