// Patch strategies of the built-in types kplane serves, copied from the `patchStrategy` /
// `patchMergeKey` struct tags of k8s.io/api (core/v1, apps/v1) and k8s.io/apimachinery
// (meta/v1 ObjectMeta). Keys are dotted field paths from the object root; list items add
// no segment (so `spec.template.spec.containers.env` is the env list of any container).
// A list absent from the table is replaced whole, as in Kubernetes.

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

export interface FieldStrategy {
  strategy: PatchStrategy;
  /** For lists of objects merged by identity (e.g. containers by `name`). */
  mergeKey?: string;
}

export type StrategicSchema = Readonly<Record<string, FieldStrategy>>;

const merge = (mergeKey?: string): FieldStrategy => (mergeKey === undefined ? { strategy: 'merge' } : { strategy: 'merge', mergeKey });

function objectMeta(prefix: string): Record<string, FieldStrategy> {
  return {
    [`${prefix}.ownerReferences`]: merge('uid'),
    [`${prefix}.finalizers`]: merge(),
  };
}

function container(prefix: string): Record<string, FieldStrategy> {
  return {
    [`${prefix}.ports`]: merge('containerPort'),
    [`${prefix}.env`]: merge('name'),
    [`${prefix}.volumeMounts`]: merge('mountPath'),
    [`${prefix}.volumeDevices`]: merge('devicePath'),
  };
}

function podSpec(prefix: string): Record<string, FieldStrategy> {
  return {
    [`${prefix}.volumes`]: { strategy: 'merge,retainKeys', mergeKey: 'name' },
    [`${prefix}.initContainers`]: merge('name'),
    [`${prefix}.containers`]: merge('name'),
    [`${prefix}.ephemeralContainers`]: merge('name'),
    [`${prefix}.imagePullSecrets`]: merge('name'),
    [`${prefix}.hostAliases`]: merge('ip'),
    [`${prefix}.topologySpreadConstraints`]: merge('topologyKey'),
    [`${prefix}.schedulingGates`]: merge('name'),
    [`${prefix}.resourceClaims`]: { strategy: 'merge,retainKeys', mergeKey: 'name' },
    ...container(`${prefix}.initContainers`),
    ...container(`${prefix}.containers`),
    ...container(`${prefix}.ephemeralContainers`),
  };
}

const metaOnly: StrategicSchema = objectMeta('metadata');

const deployment: StrategicSchema = {
  ...objectMeta('metadata'),
  'spec.strategy': { strategy: 'retainKeys' },
  ...objectMeta('spec.template.metadata'),
  ...podSpec('spec.template.spec'),
  'status.conditions': merge('type'),
};

const namespace: StrategicSchema = { ...objectMeta('metadata'), 'status.conditions': merge('type') };
const serviceAccount: StrategicSchema = { ...objectMeta('metadata'), secrets: merge('name') };

/** By `apiVersion/kind`. RBAC rules and subjects, Lease and Event fields carry no strategy. */
const SCHEMAS: ReadonlyMap<string, StrategicSchema> = new Map([
  ['v1/ConfigMap', metaOnly],
  ['v1/Secret', metaOnly],
  ['v1/Namespace', namespace],
  ['v1/ServiceAccount', serviceAccount],
  ['v1/Event', metaOnly],
  ['events.k8s.io/v1/Event', metaOnly],
  ['rbac.authorization.k8s.io/v1/Role', metaOnly],
  ['rbac.authorization.k8s.io/v1/ClusterRole', metaOnly],
  ['rbac.authorization.k8s.io/v1/RoleBinding', metaOnly],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', metaOnly],
  ['coordination.k8s.io/v1/Lease', metaOnly],
  ['apps/v1/Deployment', deployment],
]);

/** The schema for a built-in kind, or undefined: the server then answers 415 as for CRDs. */
export function strategicSchemaFor(apiVersion: string, kind: string): StrategicSchema | undefined {
  return SCHEMAS.get(`${apiVersion}/${kind}`);
}
