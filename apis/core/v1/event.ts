// core/v1 Event: what `kubectl describe` lists under "Events:" (by involvedObject.* field
// selectors) and what controllers emit on condition transitions.
import { z } from 'zod';
import type { FieldAccessor, ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { MicroTimeSchema, TimeSchema } from '../../meta/v1/time.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';
import { CORE_GROUP, CORE_VERSION, ObjectReferenceSchema, selectField, STANDARD_VERBS } from './common.ts';

export const EventSourceSchema = z.object({
  component: z.string().optional().describe('Component from which the event is generated.'),
  host: z.string().optional().describe('Node name on which the event is generated.'),
}).describe('EventSource contains information for an event.');

export const EventSeriesSchema = z.object({
  count: z.number().int().optional().describe('Number of occurrences in this series up to the last heartbeat time'),
  lastObservedTime: MicroTimeSchema.optional().describe('Time of the last occurrence observed'),
}).describe('EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.');

export const EventSchema = z.object({
  ...typeMetaFields(CORE_VERSION, 'Event'),
  metadata: objectMetaField(),
  involvedObject: ObjectReferenceSchema.describe('The object that this event is about.'),
  reason: z.string().optional().describe('This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
  message: z.string().optional().describe('A human-readable description of the status of this operation.'),
  source: EventSourceSchema.optional().describe('The component reporting this event. Should be a short machine understandable string.'),
  firstTimestamp: TimeSchema.optional().describe('The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
  lastTimestamp: TimeSchema.optional().describe('The time at which the most recent occurrence of this event was recorded.'),
  count: z.number().int().optional().describe('The number of times this event has occurred.'),
  type: z.string().optional().describe('Type of this event (Normal, Warning), new types could be added in the future'),
  eventTime: MicroTimeSchema.optional().describe('Time when this Event was first observed.'),
  series: EventSeriesSchema.optional().describe('Data about the Event series this event represents or nil if it\'s a singleton Event.'),
  action: z.string().optional().describe('What action was taken/failed regarding to the Regarding object.'),
  related: ObjectReferenceSchema.optional().describe('Optional secondary object for more complex actions.'),
  reportingComponent: z.string().optional().describe('Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
  reportingInstance: z.string().optional().describe('ID of the controller instance, e.g. `kubelet-xyzf`.'),
}).describe('Event is a report of an event somewhere in the cluster.');
export type Event = z.infer<typeof EventSchema>;

/** Field labels the real server supports for events (pkg/registry/core/event/strategy.go). */
export const EVENT_SELECTABLE_FIELDS: Record<string, FieldAccessor> = {
  'involvedObject.kind': selectField('involvedObject', 'kind'),
  'involvedObject.namespace': selectField('involvedObject', 'namespace'),
  'involvedObject.name': selectField('involvedObject', 'name'),
  'involvedObject.uid': selectField('involvedObject', 'uid'),
  'involvedObject.apiVersion': selectField('involvedObject', 'apiVersion'),
  'involvedObject.resourceVersion': selectField('involvedObject', 'resourceVersion'),
  'involvedObject.fieldPath': selectField('involvedObject', 'fieldPath'),
  reason: selectField('reason'),
  reportingComponent: selectField('reportingComponent'),
  source: selectField('source', 'component'),
  type: selectField('type'),
};

export const EventResource: ResourceDefinition = {
  group: CORE_GROUP,
  version: CORE_VERSION,
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  categories: [],
  namespaced: true,
  verbs: STANDARD_VERBS,
  subresources: {},
  description: 'Event is a report of an event somewhere in the cluster.',
  schema: EventSchema,
  strategicMergePatch: true,
  selectableFields: EVENT_SELECTABLE_FIELDS,
  printerColumns: [
    { name: 'Last Seen', type: 'date', jsonPath: '.lastTimestamp', value: (o) => o.lastTimestamp ?? o.eventTime ?? o.firstTimestamp },
    { name: 'Type', type: 'string', jsonPath: '.type' },
    { name: 'Reason', type: 'string', jsonPath: '.reason' },
    { name: 'Object', type: 'string', jsonPath: '.involvedObject.name', value: (o) => {
      const ref = (o.involvedObject ?? {}) as { kind?: string; name?: string };
      return `${(ref.kind ?? '').toLowerCase()}/${ref.name ?? ''}`;
    } },
    { name: 'Message', type: 'string', jsonPath: '.message' },
  ],
};
