// Pieces shared by the core/v1 declarations.
import { z } from 'zod';
import type { FieldAccessor } from '../../resource.ts';
import { isConfigMapKey } from '../../meta/v1/validation.ts';

export const CORE_VERSION = 'v1';
export const CORE_GROUP = '';
export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A ConfigMap/Secret data key, validated as apimachinery's IsConfigMapKey. */
export const DataKeySchema = z.string().superRefine((key, ctx) => {
  for (const message of isConfigMapKey(key)) ctx.addIssue({ code: 'custom', message });
});

export const ObjectReferenceSchema = z.object({
  kind: z.string().optional().describe('Kind of the referent.'),
  namespace: z.string().optional().describe('Namespace of the referent.'),
  name: z.string().optional().describe('Name of the referent.'),
  uid: z.string().optional().describe('UID of the referent.'),
  apiVersion: z.string().optional().describe('API version of the referent.'),
  resourceVersion: z.string().optional().describe('Specific resourceVersion to which this reference is made, if any.'),
  fieldPath: z.string().optional().describe('If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].'),
}).describe('ObjectReference contains enough information to let you inspect or modify the referred object.');
export type ObjectReference = z.infer<typeof ObjectReferenceSchema>;

/**
 * A field-selector accessor for the value at `path`. Absent fields select as "" (the Go zero
 * value kube's *ToSelectableFields functions put in the field set), so `type=` or
 * `involvedObject.namespace=` match objects that leave the field out.
 */
export function selectField(...path: string[]): FieldAccessor {
  return (obj) => {
    let cur: unknown = obj;
    for (const p of path) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[p] : undefined;
    return cur === undefined || cur === null ? '' : String(cur);
  };
}
