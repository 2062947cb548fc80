// Conditions in kcp's shape (github.com/kcp-dev/kcp/sdk/apis/third_party/conditions):
// like metav1.Condition but with `severity` and without observedGeneration being required.
import { z } from 'zod';
import { TimeSchema } from './time.ts';

export const ConditionStatusSchema = z.enum(['True', 'False', 'Unknown']);
export const ConditionSeveritySchema = z.enum(['Error', 'Warning', 'Info', '']);

export const ConditionSchema = z.object({
  type: z.string().min(1).describe('Type of condition in CamelCase or in foo.example.com/CamelCase. Many .condition.type values are consistent across resources like Available, but because arbitrary conditions can be useful (see .node.status.conditions), the ability to deconflict is important.'),
  status: ConditionStatusSchema.describe('Status of the condition, one of True, False, Unknown.'),
  severity: ConditionSeveritySchema.optional().describe('Severity provides an explicit classification of Reason code, so the users or machines can immediately understand the current situation and act accordingly. The Severity field MUST be set only when Status=False.'),
  lastTransitionTime: TimeSchema.optional().describe('Last time the condition transitioned from one status to another. This should be when the underlying condition changed. If that is not known, then using the time when the API field changed is acceptable.'),
  reason: z.string().optional().describe('The reason for the condition\'s last transition in CamelCase. The specific API may choose whether or not this field is considered a guaranteed API.'),
  message: z.string().optional().describe('A human readable message indicating details about the transition. This field may be empty.'),
  observedGeneration: z.number().int().optional().describe('observedGeneration represents the .metadata.generation that the condition was set based upon.'),
}).describe('Condition defines an observation of a object operational state.');
export type Condition = z.infer<typeof ConditionSchema>;
export type ConditionStatus = z.infer<typeof ConditionStatusSchema>;

export const ConditionsSchema = z.array(ConditionSchema).describe('Current service state of the object.');
