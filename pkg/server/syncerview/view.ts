// What exists in a syncer view and which writes it allows (handlers/view.ts applies it).
//
// Exists: a namespace or object carrying label `state.workload.kcp.io/<key>` (any value) of
// the view's SyncTarget — the scheduling controllers' placement (apis/workload/v1alpha1/
// sync-contract.ts). Everything else is absent: not listed, not watched, 404 on get and write.
//
// Writes to an object in the view may change it freely except for what belongs to OTHER
// SyncTargets: their state labels, deletion annotations and syncer finalizers stay exactly as
// stored, so one syncer can neither push an object onto another SyncTarget nor release
// another syncer's hold on it. Its own label may be removed (the syncer's last write after
// cleaning up downstream); it can never be added to an object outside the view, because such
// an object is 404 before the write is considered. Namespaces are read-only apart from their
// metadata: spec and status stay as stored.
import { isDeepStrictEqual } from 'node:util';
import { DELETION_ANNOTATION_PREFIX, SYNCER_FINALIZER_PREFIX } from '../../../apis/workload/v1alpha1/sync-contract.ts';
import { STATE_LABEL_PREFIX, stateLabelKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import { StatusError } from '../../apierrors/errors.ts';
import type { ObjectView } from '../handlers/object-view.ts';
import type { KObject } from '../registry/object.ts';

export interface ViewedResource {
  group: string;
  plural: string;
}

function forbidden(resource: ViewedResource, name: string, why: string): StatusError {
  const qualified = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
  return new StatusError('Forbidden', `${qualified} "${name}" is forbidden: the syncer view ${why}`, { name, group: resource.group, kind: resource.plural });
}

/** Keys of `map` with `prefix` that name another SyncTarget than `ownSuffix`. */
function foreignKeys(maps: (Record<string, string> | undefined)[], prefix: string, ownSuffix: string): Set<string> {
  const out = new Set<string>();
  for (const m of maps) for (const k of Object.keys(m ?? {})) if (k.startsWith(prefix) && k !== prefix + ownSuffix) out.add(k);
  return out;
}

function foreignFinalizers(list: string[] | undefined, own: string): string[] {
  return (list ?? []).filter((f) => f.startsWith(SYNCER_FINALIZER_PREFIX) && f !== own).sort();
}

export function syncerObjectView(syncTargetKey: string, resource: ViewedResource): ObjectView {
  const label = stateLabelKey(syncTargetKey);
  const ownFinalizer = SYNCER_FINALIZER_PREFIX + syncTargetKey;
  const isNamespace = resource.group === '' && resource.plural === 'namespaces';
  return {
    contains(obj: KObject): boolean {
      return obj.metadata.labels?.[label] !== undefined;
    },
    checkWrite(live: KObject, next: KObject, subresource: string): void {
      const name = live.metadata.name ?? '';
      const before = live.metadata;
      const after = next.metadata;
      for (const k of foreignKeys([before.labels, after.labels], STATE_LABEL_PREFIX, syncTargetKey)) {
        if (before.labels?.[k] !== after.labels?.[k]) throw forbidden(resource, name, `does not change label ${k} of another SyncTarget`);
      }
      for (const k of foreignKeys([before.annotations, after.annotations], DELETION_ANNOTATION_PREFIX, syncTargetKey)) {
        if (before.annotations?.[k] !== after.annotations?.[k]) throw forbidden(resource, name, `does not change annotation ${k} of another SyncTarget`);
      }
      if (!isDeepStrictEqual(foreignFinalizers(before.finalizers, ownFinalizer), foreignFinalizers(after.finalizers, ownFinalizer))) {
        throw forbidden(resource, name, 'does not change the finalizers of other SyncTargets\' syncers');
      }
      if (isNamespace && (!isDeepStrictEqual(live.spec ?? {}, next.spec ?? {}) || !isDeepStrictEqual(live.status ?? {}, next.status ?? {}))) {
        throw forbidden(resource, name, `changes only the metadata of namespaces (labels, annotations, finalizers)${subresource ? `, not ${subresource}` : ''}`);
      }
    },
  };
}
