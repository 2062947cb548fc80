// The client-side apply annotation (kubectl.kubernetes.io/last-applied-configuration) under
// server-side apply, as kube-apiserver's field manager treats it for the manager "kubectl":
//   allowedConflicts  fields whose live value is still what the annotation says kubectl
//                     applied: a conflict on them (typically with kubectl-client-side-apply)
//                     is kubectl's own earlier client-side apply, so the apply is forced
//   syncLastApplied   after a successful apply, an existing annotation is rewritten to the
//                     configuration just applied, so a later client-side apply still diffs
//                     against what the user last applied
// Other managers opt out of both by using another field manager name.
import { canonicalJson, deepClone, getOwn, isObject } from '../patch/json-value.ts';
import type { JsonObject } from '../patch/json-value.ts';
import { FieldSet } from './fieldset.ts';
import type { ApplySchema } from './schema.ts';
import { compare, fieldsOf } from './walk.ts';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** The one field manager whose applies upgrade and maintain the annotation (kubectl's default). */
export const KUBECTL_MANAGER = 'kubectl';
/** apimachinery's TotalAnnotationSizeLimitB: an annotation that would exceed it is dropped instead. */
const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

function annotationsOf(obj: unknown): JsonObject | undefined {
  const meta = isObject(obj) ? getOwn(obj, 'metadata') : undefined;
  const ann = isObject(meta) ? getOwn(meta, 'annotations') : undefined;
  return isObject(ann) ? ann : undefined;
}

function lastAppliedOf(obj: unknown): string | undefined {
  const v = annotationsOf(obj)?.[LAST_APPLIED_ANNOTATION];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The fields of the live object that kubectl's client-side apply set and that still hold
 * the value it set; empty when there is no usable annotation for this apiVersion.
 */
export function allowedConflicts(live: JsonObject, apiVersion: string, schema: ApplySchema): FieldSet {
  const raw = lastAppliedOf(live);
  if (raw === undefined) return new FieldSet();
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    // A hand-edited, unparseable annotation grants nothing; the conflict stands as reported.
    return new FieldSet();
  }
  if (!isObject(last) || getOwn(last, 'apiVersion') !== apiVersion) return new FieldSet();
  const c = compare(last, live, schema);
  return fieldsOf(last, schema, '', 0, true).difference(c.modified).difference(c.added).difference(c.removed);
}

/**
 * As Go's json.Encoder writes a map: keys sorted at every level (canonicalJson), HTML-safe
 * escapes (<, >, & and the JavaScript line separators only occur inside JSON strings, so a
 * textual replacement is exact) and a trailing newline.
 */
function encodeLikeKubectl(config: JsonObject): string {
  const escapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };
  return `${canonicalJson(config).replace(/[<>&\u2028\u2029]/g, (ch) => escapes[ch] ?? ch)}\n`;
}

/**
 * When `result` carries a non-empty annotation, sets it to `config` (minus the annotation
 * itself). `config` is the applied configuration as received.
 */
export function syncLastApplied(result: JsonObject, config: JsonObject): void {
  if (lastAppliedOf(result) === undefined) return;
  const copy = deepClone(config);
  const ann = annotationsOf(copy);
  if (ann !== undefined) delete ann[LAST_APPLIED_ANNOTATION];
  const value = encodeLikeKubectl(copy);
  const annotations = annotationsOf(result) as JsonObject;
  annotations[LAST_APPLIED_ANNOTATION] = value;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += k.length + (typeof v === 'string' ? v.length : 0);
  if (size > ANNOTATIONS_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION];
}
