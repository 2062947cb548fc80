// scheduling.kcp.io/v1alpha1 Location: a named set of SyncTargets (chosen by instanceSelector)
// that a Placement can select. Wire-compatible with kcp's type.
import { z } from 'zod';
import type { FieldCause, ResourceDefinition } from '../../resource.ts';
import { LabelSelectorSchema, validateLabelSelector } from '../../meta/v1/labelselector.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';
import { isQualifiedName, isValidLabelValue } from '../../meta/v1/validation.ts';
import { GROUP, GroupVersionResourceSchema, validateSyncTargetResource, VERSION } from './common.ts';

export const LOCATION_KIND = 'Location';
/** Annotation with a printable form of the Location's labels, for the Labels column (as kcp). */
export const LOCATION_LABELS_ANNOTATION = 'scheduling.kcp.io/labels';

export const AvailableSelectorLabelSchema = z.object({
  key: z.string().max(255).describe('key is the name of the label.'),
  values: z.array(z.string().max(63)).min(1).describe('values are the possible values for this labels.'),
  description: z.string().optional().describe('description is a human readable description of the label.'),
}).describe('AvailableSelectorLabel specifies a label with key name and possible values.');

export const LocationSpecSchema = z.object({
  resource: GroupVersionResourceSchema.describe('resource is the group-version-resource of the instances that are subject to this location.'),
  description: z.string().optional().describe('description is a human-readable description of the location.'),
  availableSelectorLabels: z.array(AvailableSelectorLabelSchema).optional().describe('availableSelectorLabels is a list of labels that can be used to select an instance at this location in a placement object.'),
  instanceSelector: LabelSelectorSchema.optional().describe('instanceSelector chooses the instances that will be part of this location. A missing selector chooses none, an empty one every instance.'),
}).describe('LocationSpec holds the desired state of the Location.');
export type LocationSpec = z.infer<typeof LocationSpecSchema>;

export const LocationStatusSchema = z.object({
  instances: z.number().int().min(0).optional().describe('instances is the number of actual instances at this location.'),
  availableInstances: z.number().int().min(0).optional().describe('available is the number of actual instances that are available at this location.'),
}).describe('LocationStatus defines the observed state of Location.');
export type LocationStatus = z.infer<typeof LocationStatusSchema>;

export const LocationSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, LOCATION_KIND),
  metadata: objectMetaField(),
  spec: LocationSpecSchema,
  status: LocationStatusSchema.optional(),
}).describe('Location represents a set of instances of a scheduling resource type acting a target of scheduling.');
export type Location = z.infer<typeof LocationSchema>;

function validateLocation(obj: Record<string, unknown>): FieldCause[] {
  const spec = (obj.spec ?? {}) as Partial<LocationSpec>;
  const causes = [
    ...validateSyncTargetResource(spec.resource, 'spec.resource'),
    ...validateLabelSelector(spec.instanceSelector, 'spec.instanceSelector'),
  ];
  (spec.availableSelectorLabels ?? []).forEach((l, i) => {
    for (const e of isQualifiedName(l.key)) causes.push({ reason: 'FieldValueInvalid', field: `spec.availableSelectorLabels[${i}].key`, message: `Invalid value: ${JSON.stringify(l.key)}: ${e}` });
    l.values.forEach((v, j) => {
      for (const e of isValidLabelValue(v)) causes.push({ reason: 'FieldValueInvalid', field: `spec.availableSelectorLabels[${i}].values[${j}]`, message: `Invalid value: ${JSON.stringify(v)}: ${e}` });
    });
  });
  return causes;
}

export const LocationResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: LOCATION_KIND,
  listKind: 'LocationList',
  plural: 'locations',
  singular: 'location',
  shortNames: [],
  categories: ['kcp'],
  namespaced: false,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: { status: true },
  generation: true,
  description: 'Location represents a set of instances of a scheduling resource type acting a target of scheduling.',
  schema: LocationSchema,
  validate: validateLocation,
  printerColumns: [
    { name: 'Resource', type: 'string', jsonPath: '.spec.resource.resource', description: 'Type of the instances' },
    { name: 'Available', type: 'string', jsonPath: '.status.availableInstances', description: 'Available instances in this location' },
    { name: 'Instances', type: 'string', jsonPath: '.status.instances', description: 'Instances in this location' },
    { name: 'Labels', type: 'string', jsonPath: `.metadata.annotations['scheduling\\.kcp\\.io/labels']`, description: 'The common labels of this location', value: (o) => ((o.metadata ?? {}) as { annotations?: Record<string, string> }).annotations?.[LOCATION_LABELS_ANNOTATION] },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
