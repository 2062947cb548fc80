// How server-side apply treats lists and maps, by dotted field path from the object root
// (list items add no segment), mirroring the OpenAPI extensions
// x-kubernetes-list-type / x-kubernetes-list-map-keys / x-kubernetes-map-type of the
// built-in kinds. Anything not named: objects are granular, lists are atomic. Every object
// counts as a struct (its keys are named fields, see walk.ts ensureNamedFieldsAreMembers):
// no served type has a map whose values are objects, where the two would differ.

export type ListOrMapType =
  /** keyDefaults: key fields the schema defaults, used when an item leaves them out. */
  | { type: 'map'; keys: readonly string[]; keyDefaults?: Readonly<Record<string, string>> }
  | { type: 'set' }
  | { type: 'atomic' };

export type ApplySchema = Readonly<Record<string, ListOrMapType>>;

const keyed = (...keys: string[]): ListOrMapType => ({ type: 'map', keys });
const set: ListOrMapType = { type: 'set' };
const atomic: ListOrMapType = { type: 'atomic' };

function objectMeta(prefix: string): Record<string, ListOrMapType> {
  return { [`${prefix}.ownerReferences`]: keyed('uid'), [`${prefix}.finalizers`]: set };
}

function container(prefix: string): Record<string, ListOrMapType> {
  return {
    // As kube: ports are keyed by containerPort and protocol, protocol defaulting to TCP.
    [`${prefix}.ports`]: { type: 'map', keys: ['containerPort', 'protocol'], keyDefaults: { protocol: 'TCP' } },
    [`${prefix}.env`]: keyed('name'),
    [`${prefix}.volumeMounts`]: keyed('mountPath'),
    [`${prefix}.volumeDevices`]: keyed('devicePath'),
    [`${prefix}.resources.claims`]: keyed('name'),
    // Selectors kube marks +structType=atomic: replaced whole, owned as one field.
    [`${prefix}.env.valueFrom.configMapKeyRef`]: atomic,
    [`${prefix}.env.valueFrom.secretKeyRef`]: atomic,
    [`${prefix}.env.valueFrom.fieldRef`]: atomic,
    [`${prefix}.env.valueFrom.resourceFieldRef`]: atomic,
  };
}

function podSpec(prefix: string): Record<string, ListOrMapType> {
  return {
    [`${prefix}.volumes`]: keyed('name'),
    [`${prefix}.initContainers`]: keyed('name'),
    [`${prefix}.containers`]: keyed('name'),
    [`${prefix}.ephemeralContainers`]: keyed('name'),
    [`${prefix}.imagePullSecrets`]: keyed('name'),
    [`${prefix}.hostAliases`]: keyed('ip'),
    [`${prefix}.schedulingGates`]: keyed('name'),
    [`${prefix}.resourceClaims`]: keyed('name'),
    [`${prefix}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`]: atomic,
    [`${prefix}.topologySpreadConstraints`]: keyed('topologyKey', 'whenUnsatisfiable'),
    ...container(`${prefix}.initContainers`),
    ...container(`${prefix}.containers`),
    ...container(`${prefix}.ephemeralContainers`),
  };
}

/** Conditions in the metav1.Condition style are keyed by type everywhere we serve them. */
const conditions = (path: string): Record<string, ListOrMapType> => ({ [path]: keyed('type') });

export const META_ONLY_SCHEMA: ApplySchema = objectMeta('metadata');

const deployment: ApplySchema = {
  ...objectMeta('metadata'),
  'spec.selector': atomic,
  ...objectMeta('spec.template.metadata'),
  ...podSpec('spec.template.spec'),
  ...conditions('status.conditions'),
};

/** RoleRef is +structType=atomic in kube; subjects and rules are atomic lists (the default here). */
const binding: ApplySchema = { ...META_ONLY_SCHEMA, roleRef: atomic };

const SCHEMAS: ReadonlyMap<string, ApplySchema> = new Map([
  ['v1/ConfigMap', META_ONLY_SCHEMA],
  ['v1/Secret', META_ONLY_SCHEMA],
  ['v1/Namespace', { ...META_ONLY_SCHEMA, ...conditions('status.conditions') }],
  ['v1/ServiceAccount', { ...META_ONLY_SCHEMA, secrets: keyed('name') }],
  ['v1/Event', { ...META_ONLY_SCHEMA, involvedObject: atomic, related: atomic }],
  ['rbac.authorization.k8s.io/v1/Role', META_ONLY_SCHEMA],
  ['rbac.authorization.k8s.io/v1/ClusterRole', META_ONLY_SCHEMA],
  ['rbac.authorization.k8s.io/v1/RoleBinding', binding],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', binding],
  ['coordination.k8s.io/v1/Lease', META_ONLY_SCHEMA],
  ['apps/v1/Deployment', deployment],
  [
    'workload.kcp.io/v1alpha1/SyncTarget',
    {
      ...META_ONLY_SCHEMA,
      'spec.supportedAPIExports': atomic,
      ...conditions('status.conditions'),
      'status.syncedResources': atomic,
      'status.virtualWorkspaces': atomic,
    },
  ],
  ['scheduling.kcp.io/v1alpha1/Location', { ...META_ONLY_SCHEMA, 'spec.availableSelectorLabels': keyed('key') }],
  ['scheduling.kcp.io/v1alpha1/Placement', { ...META_ONLY_SCHEMA, ...conditions('status.conditions') }],
]);

/** Built-in schema for a kind; unknown kinds get ObjectMeta's rules only (lists atomic). */
export function applySchemaFor(apiVersion: string, kind: string): ApplySchema {
  return SCHEMAS.get(`${apiVersion}/${kind}`) ?? META_ONLY_SCHEMA;
}
