// authentication.k8s.io/v1 SelfSubjectReview: create-only, behind `kubectl auth whoami`.
import { z } from 'zod';
import type { ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';

export const GROUP = 'authentication.k8s.io';
export const VERSION = 'v1';

export const UserInfoSchema = z.object({
  username: z.string().optional().describe('The name that uniquely identifies this user among all active users.'),
  uid: z.string().optional().describe('A unique value that identifies this user across time.'),
  groups: z.array(z.string()).optional().describe('The names of groups this user is a part of.'),
  extra: z.record(z.string(), z.array(z.string())).optional().describe('Any additional information provided by the authenticator.'),
}).describe('UserInfo holds the information about the user needed to implement the user.Info interface.');
export type UserInfo = z.infer<typeof UserInfoSchema>;

export const SelfSubjectReviewSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, 'SelfSubjectReview'),
  metadata: objectMetaField(),
  status: z.object({
    userInfo: UserInfoSchema.optional().describe('User attributes of the user making this request.'),
  }).optional().describe('Status is filled in by the server with the user attributes.'),
}).describe('SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request.');
export type SelfSubjectReview = z.infer<typeof SelfSubjectReviewSchema>;

export const SelfSubjectReviewResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'SelfSubjectReview',
  listKind: 'SelfSubjectReviewList',
  plural: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ['create'],
  subresources: {},
  description: 'SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request.',
  schema: SelfSubjectReviewSchema,
  strategicMergePatch: true,
  printerColumns: [],
  virtual: true,
};
