// apps/v1 Deployment, stored as data only (no pods are run): enough for a kplane instance
// to stand in for a physical cluster that a syncer deploys to. The pod template is kept
// verbatim (preserve-unknown-fields) because we do not model pods.
import { z } from 'zod';
import type { ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { TimeSchema } from '../../meta/v1/time.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';

export const GROUP = 'apps';
export const VERSION = 'v1';

export const LabelSelectorSchema = z.object({
  matchLabels: z.record(z.string(), z.string()).optional().describe('matchLabels is a map of {key,value} pairs.'),
  matchExpressions: z.array(z.object({
    key: z.string().describe('key is the label key that the selector applies to.'),
    operator: z.string().describe("operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist."),
    values: z.array(z.string()).optional().describe('values is an array of string values.'),
  })).optional().describe('matchExpressions is a list of label selector requirements. The requirements are ANDed.'),
}).describe('A label selector is a label query over a set of resources.');

export const DeploymentStrategySchema = z.object({
  type: z.enum(['Recreate', 'RollingUpdate']).default('RollingUpdate').describe('Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.'),
  rollingUpdate: z.object({
    maxUnavailable: z.union([z.number().int(), z.string()]).optional().describe('The maximum number of pods that can be unavailable during the update.'),
    maxSurge: z.union([z.number().int(), z.string()]).optional().describe('The maximum number of pods that can be scheduled above the desired number of pods.'),
  }).optional().describe('Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.'),
}).describe('DeploymentStrategy describes how to replace existing pods with new ones.');

export const PodTemplateSpecSchema = z.looseObject({
  metadata: z.looseObject({}).optional().describe("Standard object's metadata."),
  spec: z.looseObject({}).optional().describe('Specification of the desired behavior of the pod.'),
}).describe('PodTemplateSpec describes the data a pod should have when created from a template (kept verbatim).');

export const DeploymentConditionSchema = z.object({
  type: z.string().describe('Type of deployment condition.'),
  status: z.string().describe('Status of the condition, one of True, False, Unknown.'),
  lastUpdateTime: TimeSchema.optional().describe('The last time this condition was updated.'),
  lastTransitionTime: TimeSchema.optional().describe('Last time the condition transitioned from one status to another.'),
  reason: z.string().optional().describe("The reason for the condition's last transition."),
  message: z.string().optional().describe('A human readable message indicating details about the transition.'),
}).describe('DeploymentCondition describes the state of a deployment at a certain point.');

export const DeploymentSpecSchema = z.object({
  replicas: z.number().int().min(0).default(1).describe('Number of desired pods. Defaults to 1.'),
  selector: LabelSelectorSchema.describe('Label selector for pods. It must match the pod template\'s labels.'),
  template: PodTemplateSpecSchema.describe('Template describes the pods that will be created.'),
  strategy: DeploymentStrategySchema.default({ type: 'RollingUpdate' }).describe('The deployment strategy to use to replace existing pods with new ones.'),
  minReadySeconds: z.number().int().optional().describe('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available.'),
  revisionHistoryLimit: z.number().int().default(10).describe('The number of old ReplicaSets to retain to allow rollback. Defaults to 10.'),
  paused: z.boolean().optional().describe('Indicates that the deployment is paused.'),
  progressDeadlineSeconds: z.number().int().default(600).describe('The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s.'),
}).describe('DeploymentSpec is the specification of the desired behavior of the Deployment.');

export const DeploymentStatusSchema = z.object({
  observedGeneration: z.number().int().optional().describe('The generation observed by the deployment controller.'),
  replicas: z.number().int().optional().describe('Total number of non-terminated pods targeted by this deployment (their labels match the selector).'),
  updatedReplicas: z.number().int().optional().describe('Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
  readyReplicas: z.number().int().optional().describe('Total number of ready pods targeted by this Deployment.'),
  availableReplicas: z.number().int().optional().describe('Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
  unavailableReplicas: z.number().int().optional().describe('Total number of unavailable pods targeted by this deployment.'),
  conditions: z.array(DeploymentConditionSchema).optional().describe("Represents the latest available observations of a deployment's current state."),
  collisionCount: z.number().int().optional().describe('Count of hash collisions for the Deployment.'),
}).describe('DeploymentStatus is the most recently observed status of the Deployment.');

export const DeploymentSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, 'Deployment'),
  metadata: objectMetaField(),
  spec: DeploymentSpecSchema.optional().describe('Specification of the desired behavior of the Deployment.'),
  status: DeploymentStatusSchema.optional().describe('Most recently observed status of the Deployment.'),
}).describe('Deployment enables declarative updates for Pods and ReplicaSets.');
export type Deployment = z.infer<typeof DeploymentSchema>;

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

export const DeploymentResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'Deployment',
  listKind: 'DeploymentList',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  namespaced: true,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {
    status: true,
    // kube's deployment scale REST: spec.replicas ↔ Scale.spec.replicas, status.replicas and the
    // spec.selector as a selector string in Scale.status.
    scale: {
      specReplicasPath: ['spec', 'replicas'],
      statusReplicasPath: ['status', 'replicas'],
      selector: (o) => labelSelectorString(((o.spec ?? {}) as Record<string, unknown>).selector),
    },
  },
  generation: true,
  description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
  schema: DeploymentSchema,
  strategicMergePatch: true,
  printerColumns: [
    { name: 'Ready', type: 'string', jsonPath: '.status.readyReplicas', description: 'Number of the pod with ready state', value: (o) => {
      const spec = (o.spec ?? {}) as Record<string, unknown>;
      const status = (o.status ?? {}) as Record<string, unknown>;
      return `${num(status.readyReplicas)}/${num(spec.replicas)}`;
    } },
    { name: 'Up-to-date', type: 'integer', jsonPath: '.status.updatedReplicas', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', value: (o) => num((o.status as Record<string, unknown> | undefined)?.updatedReplicas) },
    { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', value: (o) => num((o.status as Record<string, unknown> | undefined)?.availableReplicas) },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Containers', type: 'string', priority: 1, jsonPath: '.spec.template.spec.containers[*].name', description: 'Names of each container in the template.', value: (o) => containerField(o, 'name') },
    { name: 'Images', type: 'string', priority: 1, jsonPath: '.spec.template.spec.containers[*].image', description: 'Images referenced by each container in the template.', value: (o) => containerField(o, 'image') },
    { name: 'Selector', type: 'string', priority: 1, jsonPath: '.spec.selector', description: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', value: (o) => formatLabelSelector(((o.spec ?? {}) as Record<string, unknown>).selector) },
  ],
};

/** One field of every container in the pod template, comma-joined (kube's -o wide cells). */
function containerField(o: Record<string, unknown>, field: 'name' | 'image'): string {
  const template = ((o.spec ?? {}) as Record<string, unknown>).template as Record<string, unknown> | undefined;
  const containers = ((template?.spec ?? {}) as Record<string, unknown>).containers;
  if (!Array.isArray(containers)) return '';
  return containers.map((c) => String((c as Record<string, unknown>)?.[field] ?? '')).join(',');
}

/** metav1.FormatLabelSelector: the selector string, or `<none>` when it selects everything. */
export function formatLabelSelector(selector: unknown): string {
  return labelSelectorString(selector) || '<none>';
}

/**
 * A LabelSelector as labels.Selector.String() prints it: `k=v` for matchLabels, `k in (a,b)`,
 * `k notin (a)`, `k`, `!k` for expressions, comma-joined; '' when empty.
 */
export function labelSelectorString(selector: unknown): string {
  if (typeof selector !== 'object' || selector === null) return '';
  const sel = selector as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  // labels.Selector prints its requirements sorted by key, set values sorted too.
  const terms: [key: string, text: string][] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) terms.push([k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') terms.push([e.key, `${e.key} in (${values})`]);
    else if (e.operator === 'NotIn') terms.push([e.key, `${e.key} notin (${values})`]);
    else if (e.operator === 'Exists') terms.push([e.key, e.key]);
    else if (e.operator === 'DoesNotExist') terms.push([e.key, `!${e.key}`]);
  }
  terms.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return terms.map(([, t]) => t).join(',');
}
