// coordination.k8s.io/v1 Lease: leader election among controller replicas.
import { z } from 'zod';
import type { ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { MicroTimeSchema } from '../../meta/v1/time.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';

export const GROUP = 'coordination.k8s.io';
export const VERSION = 'v1';

export const LeaseSpecSchema = z.object({
  holderIdentity: z.string().optional().describe('holderIdentity contains the identity of the holder of a current lease.'),
  leaseDurationSeconds: z.number().int().optional().describe('leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime.'),
  acquireTime: MicroTimeSchema.optional().describe('acquireTime is a time when the current lease was acquired.'),
  renewTime: MicroTimeSchema.optional().describe('renewTime is a time when the current holder of a lease has last updated the lease.'),
  leaseTransitions: z.number().int().optional().describe('leaseTransitions is the number of transitions of a lease between holders.'),
  strategy: z.string().optional().describe('Strategy indicates the strategy for picking the leader for coordinated leader election.'),
  preferredHolder: z.string().optional().describe('PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up.'),
}).describe('LeaseSpec is a specification of a Lease.');

export const LeaseSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, 'Lease'),
  metadata: objectMetaField(),
  spec: LeaseSpecSchema.optional().describe('spec contains the specification of the Lease.'),
}).describe('Lease defines a lease concept.');
export type Lease = z.infer<typeof LeaseSchema>;

export const LeaseResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'Lease',
  listKind: 'LeaseList',
  plural: 'leases',
  singular: 'lease',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {},
  description: 'Lease defines a lease concept.',
  schema: LeaseSchema,
  strategicMergePatch: true,
  printerColumns: [
    { name: 'Holder', type: 'string', jsonPath: '.spec.holderIdentity' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
