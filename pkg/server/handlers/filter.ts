// Label and field selectors for list, watch and deletecollection. Every resource supports
// metadata.name and metadata.namespace; a resource may declare more (Event involvedObject.*).
import type { ResourceDefinition } from '../../../apis/resource.ts';
import { newBadRequest } from '../../apierrors/errors.ts';
import { exactName, fieldsMatch, parseFieldSelector, requireSupported, type FieldSelector } from '../../fields/selector.ts';
import { isEverything, labelsMatch, parseLabelSelector, type LabelSelector } from '../../labels/index.ts';
import type { KObject } from '../registry/object.ts';
import type { HandlerContext } from './context.ts';

export interface ObjectFilter {
  matches(obj: KObject): boolean;
  /** Set when the field selector pins metadata.name (used to narrow reads and authz). */
  name: string | undefined;
  empty: boolean;
}

function fieldGetter(def: ResourceDefinition, obj: KObject): (field: string) => string | undefined {
  return (field) => {
    if (field === 'metadata.name') return obj.metadata.name ?? '';
    if (field === 'metadata.namespace' && def.namespaced) return obj.metadata.namespace ?? '';
    const accessor = def.selectableFields?.[field];
    return accessor ? (accessor(obj) ?? '') : undefined;
  };
}

/**
 * The field labels a resource can be selected by, as kube's generic.ObjectMetaFieldsSet plus
 * the type's own (Namespace status.phase, Secret type, Event involvedObject.*, …):
 * metadata.namespace only for namespaced resources.
 */
export function supportedFieldLabels(def: ResourceDefinition): ReadonlySet<string> {
  return new Set(['metadata.name', ...(def.namespaced ? ['metadata.namespace'] : []), ...Object.keys(def.selectableFields ?? {})]);
}

export function buildFilter(def: ResourceDefinition, labelSelector: string | null, fieldSelector: string | null): ObjectFilter {
  let labels: LabelSelector | undefined;
  let fields: FieldSelector | undefined;
  try {
    if (labelSelector) labels = parseLabelSelector(labelSelector);
  } catch (err) {
    throw newBadRequest((err as Error).message);
  }
  try {
    if (fieldSelector) {
      fields = parseFieldSelector(fieldSelector);
      requireSupported(fields, supportedFieldLabels(def));
    }
  } catch (err) {
    throw newBadRequest((err as Error).message);
  }
  const empty = (labels === undefined || isEverything(labels)) && (fields === undefined || fields.requirements.length === 0);
  return {
    empty,
    name: fields ? exactName(fields) : undefined,
    matches(obj: KObject): boolean {
      if (labels && !labelsMatch(labels, obj.metadata.labels ?? {})) return false;
      if (fields && !fieldsMatch(fields, fieldGetter(def, obj))) return false;
      return true;
    },
  };
}

/**
 * The filter of a list or watch request: its selectors, ANDed with the request's view (an
 * object outside the view never matches, whatever the client asked for).
 */
export function requestFilter(ctx: HandlerContext): ObjectFilter {
  const filter = buildFilter(ctx.def, ctx.url.searchParams.get('labelSelector'), ctx.url.searchParams.get('fieldSelector'));
  const view = ctx.view;
  if (!view) return filter;
  return { empty: false, name: filter.name, matches: (obj) => view.contains(obj) && filter.matches(obj) };
}
