// The types a syncer syncs: the --resources the physical cluster Accepted, resolved through
// its discovery to what a client needs (version, kind, namespaced). Only namespaced types are
// synced: a placement is a namespace, and cluster-scoped objects belong to no namespace.
import type { GVR } from '../../client/gvr.ts';
import type { DiscoveryGet, SyncedResource } from '../synced-resources.ts';

export interface SyncedType {
  /** `deployments.apps`, `configmaps`: the --resources spelling, and the queue key prefix. */
  name: string;
  gvr: GVR;
  apiVersion: string;
}

interface APIResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

export function typeName(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

/**
 * Each Accepted resource at its first served version (discovery's preferred order), with
 * kind and scope from that version's resource list. Cluster-scoped and unresolvable types are
 * returned in `skipped` with the reason.
 */
export async function resolveSyncedTypes(get: DiscoveryGet, assessed: SyncedResource[]): Promise<{ types: SyncedType[]; skipped: { name: string; reason: string }[] }> {
  const types: SyncedType[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const r of assessed) {
    const group = r.group ?? '';
    const name = typeName(group, r.resource);
    const version = r.state === 'Accepted' ? r.versions?.[0] : undefined;
    if (!version) continue;
    const list = (await get(group === '' ? `/api/${version}` : `/apis/${group}/${version}`)) as APIResourceList | undefined;
    const entry = list?.resources?.find((x) => x.name === r.resource);
    if (!entry) {
      skipped.push({ name, reason: 'no longer served by the physical cluster' });
      continue;
    }
    if (!entry.namespaced) {
      skipped.push({ name, reason: 'cluster-scoped types are not synced (a placement is a namespace)' });
      continue;
    }
    types.push({ name, gvr: { group, version, resource: r.resource, kind: entry.kind, namespaced: true }, apiVersion: group ? `${group}/${version}` : version });
  }
  return { types, skipped };
}
