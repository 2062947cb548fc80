// tenancy.kcp.io/v1alpha1 Workspace: creating one in a workspace creates a child logical
// cluster (<parent>:<name>); its creator becomes admin there.
import { z } from 'zod';
import type { ResourceDefinition } from '../../resource.ts';
import { ConditionsSchema } from '../../meta/v1/condition.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';
import { validateDNS1123LabelName } from '../../meta/v1/validation.ts';

export const GROUP = 'tenancy.kcp.io';
export const VERSION = 'v1alpha1';

export const WorkspacePhaseSchema = z.enum(['Scheduling', 'Initializing', 'Ready', 'Unavailable'])
  .describe('Phase of the workspace (Scheduling, Initializing, Ready, Unavailable).');
export type WorkspacePhase = z.infer<typeof WorkspacePhaseSchema>;

export const WorkspaceTypeReferenceSchema = z.object({
  name: z.string().min(1).describe('name is the name of the WorkspaceType'),
  path: z.string().optional().describe('path is an absolute reference to the workspace that owns this type, e.g. root:org:ws.'),
}).describe('WorkspaceTypeReference is a reference to a workspace type.');

export const WorkspaceSpecSchema = z.object({
  type: WorkspaceTypeReferenceSchema.optional().describe('type defines properties of the workspace both on creation (e.g. initial resources and initially installed APIs) and during runtime (e.g. permissions). If no type is provided, the default type for the workspace in which this workspace is nesting will be used.'),
  cluster: z.string().optional().describe('cluster is the name of the logical cluster this workspace is stored under. Set by the system.'),
}).describe('WorkspaceSpec holds the desired state of the Workspace.');

export const WorkspaceStatusSchema = z.object({
  phase: WorkspacePhaseSchema.optional(),
  URL: z.string().optional().describe('URL is the address under which the Kubernetes-cluster-like endpoint can be found. This URL can be used to access the workspace with standard Kubernetes client libraries and command line tools.'),
  conditions: ConditionsSchema.optional().describe('Current processing state of the Workspace.'),
  initializers: z.array(z.string()).optional().describe('initializers must be cleared by a controller before the workspace is ready and can be used.'),
}).describe('WorkspaceStatus communicates the observed state of the Workspace.');

export const WorkspaceSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, 'Workspace'),
  metadata: objectMetaField(),
  spec: WorkspaceSpecSchema.default({}),
  status: WorkspaceStatusSchema.optional(),
}).describe('Workspace defines a generic Kubernetes-cluster-like endpoint, with standard Kubernetes discovery APIs, OpenAPI and resource API endpoints.');
export type Workspace = z.infer<typeof WorkspaceSchema>;

export const WorkspaceResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'Workspace',
  listKind: 'WorkspaceList',
  plural: 'workspaces',
  singular: 'workspace',
  shortNames: ['ws'],
  categories: ['kcp'],
  namespaced: false,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: { status: true },
  generation: true,
  description: 'Workspace defines a generic Kubernetes-cluster-like endpoint, with standard Kubernetes discovery APIs, OpenAPI and resource API endpoints.',
  schema: WorkspaceSchema,
  // A workspace name becomes a logical-cluster path segment, which is a DNS-1123 label.
  validateName: validateDNS1123LabelName,
  printerColumns: [
    { name: 'Type', type: 'string', jsonPath: '.spec.type.name', description: 'Type of the workspace' },
    { name: 'Region', type: 'string', jsonPath: '.metadata.labels[\'region\']', description: 'The region this workspace is in', priority: 1 },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'The current phase (e.g. Scheduling, Initializing, Ready)' },
    { name: 'URL', type: 'string', jsonPath: '.status.URL', description: 'URL to access the workspace' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
