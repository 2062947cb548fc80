// scheduling.kcp.io/v1alpha1 Placement: chooses ONE Location (by locationSelectors, in
// locationWorkspace) for the namespaces its namespaceSelector matches. Wire-compatible with
// kcp's type; phases Pending (no location), Unbound (location, no namespace) and Bound.
import { z } from 'zod';
import type { FieldCause, ResourceDefinition } from '../../resource.ts';
import { ConditionsSchema } from '../../meta/v1/condition.ts';
import { LabelSelectorSchema, validateLabelSelector } from '../../meta/v1/labelselector.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';
import { GROUP, GroupVersionResourceSchema, validateSyncTargetResource, VERSION, WORKSPACE_PATH_RE } from './common.ts';

export const PLACEMENT_KIND = 'Placement';

export const PlacementPhaseSchema = z.enum(['Pending', 'Bound', 'Unbound'])
  .describe('phase is the current phase of the placement: Pending (no location selected), Unbound (location selected, no namespace placed) or Bound.');
export type PlacementPhase = z.infer<typeof PlacementPhaseSchema>;

export const PlacementSpecSchema = z.object({
  locationSelectors: z.array(LabelSelectorSchema).optional().describe('locationSelectors represents a slice of label selector to select a location, these label selectors are logically ORed.'),
  locationResource: GroupVersionResourceSchema.describe('locationResource is the group-version-resource of the instances that are subject to the locations to select.'),
  namespaceSelector: LabelSelectorSchema.optional().describe('namespaceSelector is a label selector to select ns. A missing selector selects no namespace, an empty one every namespace.'),
  locationWorkspace: z.string().regex(WORKSPACE_PATH_RE, { message: 'must be an absolute workspace path such as root:org:ws' }).optional().describe('locationWorkspace is an absolute reference to a workspace for the location. If it is not set, the workspace of the Placement is used.'),
}).describe('PlacementSpec holds the desired state of the Placement.');
export type PlacementSpec = z.infer<typeof PlacementSpecSchema>;

export const LocationReferenceSchema = z.object({
  path: z.string().regex(WORKSPACE_PATH_RE).describe('path is an absolute reference to a workspace, e.g. root:org:ws.'),
  locationName: z.string().min(1).describe('Name of the Location.'),
}).describe('LocationReference describes a location that are provided in the specified Workspace.');

export const PlacementStatusSchema = z.object({
  phase: PlacementPhaseSchema.optional(),
  selectedLocation: LocationReferenceSchema.optional().describe('selectedLocation is the location that a picked by this placement.'),
  conditions: ConditionsSchema.optional().describe('Current processing state of the Placement: Ready (a location is selected and valid), NamespacesScheduled (every matched namespace is placed).'),
}).describe('PlacementStatus communicates the observed state.');
export type PlacementStatus = z.infer<typeof PlacementStatusSchema>;

export const PlacementSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, PLACEMENT_KIND),
  metadata: objectMetaField(),
  spec: PlacementSpecSchema,
  status: PlacementStatusSchema.optional(),
}).describe('Placement defines a selection rule to choose ONE location for MULTIPLE namespaces in a workspace.');
export type Placement = z.infer<typeof PlacementSchema>;

function validatePlacement(obj: Record<string, unknown>): FieldCause[] {
  const spec = (obj.spec ?? {}) as Partial<PlacementSpec>;
  return [
    ...validateSyncTargetResource(spec.locationResource, 'spec.locationResource'),
    ...(spec.locationSelectors ?? []).flatMap((s, i) => validateLabelSelector(s, `spec.locationSelectors[${i}]`)),
    ...validateLabelSelector(spec.namespaceSelector, 'spec.namespaceSelector'),
  ];
}

export const PlacementResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: PLACEMENT_KIND,
  listKind: 'PlacementList',
  plural: 'placements',
  singular: 'placement',
  shortNames: [],
  categories: ['kcp'],
  namespaced: false,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: { status: true },
  generation: true,
  description: 'Placement defines a selection rule to choose ONE location for MULTIPLE namespaces in a workspace.',
  schema: PlacementSchema,
  validate: validatePlacement,
  printerColumns: [
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Pending, Unbound or Bound' },
    { name: 'Location Workspace', type: 'string', jsonPath: '.status.selectedLocation.path', description: 'Workspace of the selected Location' },
    { name: 'Location', type: 'string', jsonPath: '.status.selectedLocation.locationName', description: 'The selected Location' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'Whether a valid Location is selected' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
