// authorization.k8s.io/v1 SelfSubjectAccessReview and SelfSubjectRulesReview: create-only
// virtual resources behind `kubectl auth can-i` and `kubectl auth can-i --list`.
import { z } from 'zod';
import type { ResourceDefinition } from '../../resource.ts';
import { objectMetaField } from '../../meta/v1/objectmeta.ts';
import { typeMetaFields } from '../../meta/v1/typemeta.ts';

export const GROUP = 'authorization.k8s.io';
export const VERSION = 'v1';

export const ResourceAttributesSchema = z.object({
  namespace: z.string().optional().describe('Namespace is the namespace of the action being requested. "" (empty) is defaulted for LocalSubjectAccessReviews, "" (empty) is empty for cluster-scoped resources, "" (empty) means "all" for namespace scoped resources from a SubjectAccessReview or SelfSubjectAccessReview'),
  verb: z.string().optional().describe('Verb is a kubernetes resource API verb, like: get, list, watch, create, update, delete, proxy.  "*" means all.'),
  group: z.string().optional().describe('Group is the API Group of the Resource.  "*" means all.'),
  version: z.string().optional().describe('Version is the API Version of the Resource.  "*" means all.'),
  resource: z.string().optional().describe('Resource is one of the existing resource types.  "*" means all.'),
  subresource: z.string().optional().describe('Subresource is one of the existing resource types.  "" means none.'),
  name: z.string().optional().describe('Name is the name of the resource being requested for a "get" or deleted for a "delete". "" (empty) means all.'),
}).describe('ResourceAttributes includes the authorization attributes available for resource requests to the Authorizer interface');

export const NonResourceAttributesSchema = z.object({
  path: z.string().optional().describe('Path is the URL path of the request'),
  verb: z.string().optional().describe('Verb is the standard HTTP verb'),
}).describe('NonResourceAttributes includes the authorization attributes available for non-resource requests to the Authorizer interface');

export const SubjectAccessReviewStatusSchema = z.object({
  allowed: z.boolean().describe('Allowed is required. True if the action would be allowed, false otherwise.'),
  denied: z.boolean().optional().describe('Denied is optional. True if the action would be denied, otherwise false.'),
  reason: z.string().optional().describe('Reason is optional.  It indicates why a request was allowed or denied.'),
  evaluationError: z.string().optional().describe('EvaluationError is an indication that some error occurred during the authorization check.'),
}).describe('SubjectAccessReviewStatus');

export const SelfSubjectAccessReviewSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, 'SelfSubjectAccessReview'),
  metadata: objectMetaField(),
  spec: z.object({
    resourceAttributes: ResourceAttributesSchema.optional().describe('ResourceAuthorizationAttributes describes information for a resource access request'),
    nonResourceAttributes: NonResourceAttributesSchema.optional().describe('NonResourceAttributes describes information for a non-resource access request'),
  }).describe('Spec holds information about the request being evaluated.  user and groups must be empty'),
  status: SubjectAccessReviewStatusSchema.optional().describe('Status is filled in by the server and indicates whether the request is allowed or not'),
}).describe('SelfSubjectAccessReview checks whether or the current user can perform an action.');
export type SelfSubjectAccessReview = z.infer<typeof SelfSubjectAccessReviewSchema>;

export const ResourceRuleSchema = z.object({
  verbs: z.array(z.string()).describe('Verb is a list of kubernetes resource API verbs, like: get, list, watch, create, update, delete, proxy.  "*" means all.'),
  apiGroups: z.array(z.string()).optional().describe('APIGroups is the name of the APIGroup that contains the resources.'),
  resources: z.array(z.string()).optional().describe('Resources is a list of resources this rule applies to.  "*" means all in the specified apiGroups.'),
  resourceNames: z.array(z.string()).optional().describe('ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed.  "*" means all.'),
}).describe('ResourceRule is the list of actions the subject is allowed to perform on resources.');

export const NonResourceRuleSchema = z.object({
  verbs: z.array(z.string()).describe('Verb is a list of kubernetes non-resource API verbs, like: get, post, put, delete, patch, head, options.  "*" means all.'),
  nonResourceURLs: z.array(z.string()).optional().describe('NonResourceURLs is a set of partial urls that a user should have access to.'),
}).describe('NonResourceRule holds information that describes a rule for the non-resource');

export const SelfSubjectRulesReviewSchema = z.object({
  ...typeMetaFields(`${GROUP}/${VERSION}`, 'SelfSubjectRulesReview'),
  metadata: objectMetaField(),
  spec: z.object({
    namespace: z.string().optional().describe('Namespace to evaluate rules for. Required.'),
  }).describe('Spec holds information about the request being evaluated.'),
  status: z.object({
    resourceRules: z.array(ResourceRuleSchema).describe('ResourceRules is the list of actions the subject is allowed to perform on resources.'),
    nonResourceRules: z.array(NonResourceRuleSchema).describe('NonResourceRules is the list of actions the subject is allowed to perform on non-resources.'),
    incomplete: z.boolean().describe('Incomplete is true when the rules returned by this call are incomplete.'),
    evaluationError: z.string().optional().describe('EvaluationError can appear in combination with Rules.'),
  }).optional().describe('Status is filled in by the server and indicates the set of actions a user can perform.'),
}).describe('SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace.');
export type SelfSubjectRulesReview = z.infer<typeof SelfSubjectRulesReviewSchema>;

export const SelfSubjectAccessReviewResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'SelfSubjectAccessReview',
  listKind: 'SelfSubjectAccessReviewList',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ['create'],
  subresources: {},
  description: 'SelfSubjectAccessReview checks whether or the current user can perform an action.',
  schema: SelfSubjectAccessReviewSchema,
  strategicMergePatch: true,
  printerColumns: [],
  virtual: true,
};

export const SelfSubjectRulesReviewResource: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'SelfSubjectRulesReview',
  listKind: 'SelfSubjectRulesReviewList',
  plural: 'selfsubjectrulesreviews',
  singular: 'selfsubjectrulesreview',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ['create'],
  subresources: {},
  description: 'SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace.',
  schema: SelfSubjectRulesReviewSchema,
  strategicMergePatch: true,
  printerColumns: [],
  virtual: true,
};
