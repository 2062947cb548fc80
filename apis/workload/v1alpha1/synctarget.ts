// workload.kcp.io/v1alpha1 SyncTarget: a physical cluster that workloads can be synced to.
// Wire-compatible with kcp's type, plus kplane's own fields (cluster, capacity,
// kubeconfigSecretRef, syncer; status phase, observedGeneration, syncerIdentity).
import { z } from 'zod';
import type { ResourceDefinition } from '../../resource.ts';
import { ConditionsSchema } from '../../meta/v1/condition.ts';
import { isDuration } from '../../meta/v1/duration.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { ResourceListSchema } from '../../meta/v1/quantity.ts';
import { TimeSchema } from '../../meta/v1/time.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';

export const GROUP = 'workload.kcp.io';
export const VERSION = 'v1alpha1';
export const SYNC_TARGET_KIND = 'SyncTarget';
/**
 * Holds a SyncTarget's deletion until the SyncTarget controller has removed its syncer
 * (deployment, identity, RBAC). Set by the API server when the target is created.
 */
export const SYNC_TARGET_FINALIZER = 'workload.kcp.io/syncer';

export const SyncTargetPhaseSchema = z.enum(['Pending', 'Deploying', 'Ready', 'NotReady', 'Deleting'])
  .describe('Phase summarises the SyncTarget for humans: Pending, Deploying, Ready, NotReady or Deleting.');
export type SyncTargetPhase = z.infer<typeof SyncTargetPhaseSchema>;

export const ResourceToSyncSchema = z.object({
  path: z.string().optional().describe('path is a logical cluster path where the APIExport is defined. If the path is unset, the logical cluster of the SyncTarget is used.'),
  export: z.string().describe('export is the name of the APIExport.'),
}).describe('APIExportReference provides the fields necessary to resolve an APIExport.');

export const SecretReferenceSchema = z.object({
  namespace: z.string().min(1).describe('Namespace of the Secret, in this workspace.'),
  name: z.string().min(1).describe('Name of the Secret. Its data key "kubeconfig" holds a kubeconfig for the physical cluster.'),
}).describe('A reference to a Secret holding a kubeconfig for the physical cluster.');

export const HeartbeatDurationSchema = z.string()
  .refine(isDuration, { message: 'must be a duration such as "20s" or "1m30s"' });

export const SyncerSpecSchema = z.object({
  image: z.string().optional().describe('Container image of the syncer deployed to the physical cluster.'),
  heartbeatPeriod: HeartbeatDurationSchema.optional().describe('How often the syncer reports a heartbeat, as a duration such as "20s". Defaults to 20s.'),
  heartbeatLease: z.boolean().optional().describe('When true, the syncer beats by renewing a coordination.k8s.io Lease in the workspace (as kubelets renew node Leases) and patches status only when it changes or every 5 minutes. Defaults to false: every beat patches status.lastSyncerHeartbeatTime.'),
}).describe('How kplane deploys and configures the syncer for this SyncTarget.');

export const SyncTargetSpecSchema = z.object({
  unschedulable: z.boolean().default(false).describe('Unschedulable controls cluster schedulability of new workloads. By default, cluster is schedulable.'),
  evictAfter: TimeSchema.optional().describe('EvictAfter controls cluster schedulability of new and existing workloads. After the EvictAfter time, any workload scheduled to the cluster will be unassigned from the cluster. By default, workloads scheduled to the cluster are not evicted.'),
  supportedAPIExports: z.array(ResourceToSyncSchema).optional().describe('SupportedAPIExports defines a set of APIExports supposed to be supported by this SyncTarget. The SyncTarget will be selected to deploy the workload only when the resource schema on the SyncTarget is compatible with the resource schema included in the exports.'),
  cells: z.record(z.string(), z.string()).optional().describe('Cells is a set of labels to identify the cells the SyncTarget belongs to. SyncTargets with the same cells run as they are in the same physical cluster. Each key/value pair in the cells should be added and updated by service providers (i.e. a network provider updates one key/value, while the storage provider updates another.)'),
  cluster: z.string().min(1).describe('Cluster is the name of the physical cluster this SyncTarget stands for.'),
  capacity: ResourceListSchema.optional().describe('Capacity of the physical cluster, as resource name to quantity (e.g. cpu: "8", memory: "32Gi"). Quantities must not be negative.'),
  kubeconfigSecretRef: SecretReferenceSchema.optional().describe('KubeconfigSecretRef names a Secret in this workspace with a kubeconfig for the physical cluster. When set, kplane applies the syncer there; otherwise the syncer manifests must be applied by hand.'),
  syncer: SyncerSpecSchema.optional().describe('Syncer configures the syncer kplane deploys for this SyncTarget.'),
}).describe('Spec holds the desired state.');
export type SyncTargetSpec = z.infer<typeof SyncTargetSpecSchema>;

export const VirtualWorkspaceSchema = z.object({
  syncerURL: z.string().describe('SyncerURL is the URL of the syncer virtual workspace.'),
  upsyncerURL: z.string().optional().describe('UpsyncerURL is the URL of the upsyncer virtual workspace.'),
}).describe('VirtualWorkspace contains the URLs of the virtual workspaces exposed for this SyncTarget.');

export const ResourceToSyncStatusSchema = z.object({
  group: z.string().optional().describe('group is the name of an API group.'),
  resource: z.string().describe('resource is the name of the resource.'),
  versions: z.array(z.string()).optional().describe('versions are the resource versions the syncer can choose to sync depending on availability on the downstream cluster.'),
  identityHash: z.string().optional().describe('identityHash is the identity for a given APIExport that the APIResourceSchema belongs to.'),
  state: z.enum(['Pending', 'Accepted', 'Incompatible']).optional().describe('state indicates whether the resource schema is compatible to the SyncTarget.'),
  message: z.string().optional().describe('Why the resource is Incompatible (kplane addition), e.g. the physical cluster does not serve it.'),
}).describe('A resource the syncer syncs.');

export const SyncerIdentitySchema = z.object({
  serviceAccount: z.string().describe('Name of the ServiceAccount the syncer authenticates as, in this workspace.'),
  namespace: z.string().optional().describe('Namespace of the ServiceAccount and token Secret.'),
  clusterRole: z.string().describe('Name of the ClusterRole granting the syncer access to this SyncTarget only.'),
  clusterRoleBinding: z.string().describe('Name of the ClusterRoleBinding binding the ClusterRole to the ServiceAccount.'),
  tokenSecret: z.string().optional().describe('Name of the Secret holding the syncer token; set only when kplane deploys the syncer itself (spec.kubeconfigSecretRef).'),
}).describe('The identity kplane created for this SyncTarget\'s syncer.');

export const SyncTargetStatusSchema = z.object({
  allocatable: ResourceListSchema.optional().describe('Allocatable represents the resources that are available for scheduling.'),
  capacity: ResourceListSchema.optional().describe('Capacity represents the total resources of the cluster.'),
  conditions: ConditionsSchema.optional().describe('Current processing state of the SyncTarget: Ready, Valid, SyncerDeployed, HeartbeatHealthy, SyncerAuthorized.'),
  syncedResources: z.array(ResourceToSyncStatusSchema).optional().describe('SyncedResources represents the resources that the syncer of the SyncTarget can sync.'),
  lastSyncerHeartbeatTime: TimeSchema.optional().describe('A timestamp indicating when the syncer last reported status.'),
  virtualWorkspaces: z.array(VirtualWorkspaceSchema).optional().describe('VirtualWorkspaces contains all virtual workspace URLs.'),
  phase: SyncTargetPhaseSchema.optional(),
  observedGeneration: z.number().int().optional().describe('The metadata.generation this status was computed from.'),
  syncerIdentity: SyncerIdentitySchema.optional(),
}).describe('Status communicates the observed state.');
export type SyncTargetStatus = z.infer<typeof SyncTargetStatusSchema>;

export const SyncTargetSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, SYNC_TARGET_KIND),
  metadata: objectMetaField(),
  spec: SyncTargetSpecSchema,
  status: SyncTargetStatusSchema.optional(),
}).describe('SyncTarget describes a member cluster capable of running workloads.');
export type SyncTarget = z.infer<typeof SyncTargetSchema>;

export const SyncTargetResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: SYNC_TARGET_KIND,
  listKind: 'SyncTargetList',
  plural: 'synctargets',
  singular: 'synctarget',
  shortNames: ['st'],
  categories: ['kcp'],
  namespaced: false,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: { status: true },
  generation: true,
  description: 'SyncTarget describes a member cluster capable of running workloads.',
  schema: SyncTargetSchema,
  printerColumns: [
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'Whether the SyncTarget is ready' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'The phase of the SyncTarget' },
    { name: 'Heartbeat', type: 'date', jsonPath: '.status.lastSyncerHeartbeatTime', description: 'Time since the last syncer heartbeat' },
    { name: 'Cluster', type: 'string', jsonPath: '.spec.cluster', description: 'The physical cluster' },
    { name: 'Valid', type: 'string', jsonPath: '.status.conditions[?(@.type=="Valid")].status', priority: 1, description: 'Whether the spec and its prerequisites are valid' },
    { name: 'SyncerDeployed', type: 'string', jsonPath: '.status.conditions[?(@.type=="SyncerDeployed")].status', priority: 1, description: 'Whether the syncer is deployed' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
