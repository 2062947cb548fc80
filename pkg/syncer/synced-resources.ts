// `--resources deployments.apps,services,configmaps`: the types this syncer is asked to sync,
// checked against the physical cluster's discovery and reported as SyncTarget
// status.syncedResources — each Accepted with the versions the physical cluster serves, or
// Incompatible with the reason. (Syncing the objects themselves is not built yet.)
import type { z } from 'zod';
import type { ResourceToSyncStatusSchema } from '../../apis/workload/v1alpha1/synctarget.ts';
import type { Transport } from '../client/transport.ts';
import { isNotFound } from '../client/errors.ts';

export type SyncedResource = z.input<typeof ResourceToSyncStatusSchema>;

export interface RequestedResource {
  /** '' for the core group. */
  group: string;
  resource: string;
}

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Parse `resource[.group]` entries (kubectl's form: `deployments.apps`, `configmaps`). Throws on a malformed entry. */
export function parseResources(flag: string): RequestedResource[] {
  const out: RequestedResource[] = [];
  const seen = new Set<string>();
  for (const raw of flag.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const dot = entry.indexOf('.');
    const resource = dot < 0 ? entry : entry.slice(0, dot);
    const group = dot < 0 ? '' : entry.slice(dot + 1);
    if (!NAME_RE.test(resource) || (dot >= 0 && !group.split('.').every((p) => NAME_RE.test(p)))) {
      throw new Error(`${JSON.stringify(entry)} is not a resource such as deployments.apps or configmaps`);
    }
    const key = `${resource}.${group}`;
    if (!seen.has(key)) out.push({ group, resource });
    seen.add(key);
  }
  return out;
}

interface APIResourceList {
  resources?: { name: string }[];
}

interface APIGroup {
  versions?: { version: string }[];
}

/** Where discovery is read from: the physical cluster's transport (a fake in unit tests). */
export type DiscoveryGet = (path: string) => Promise<unknown | undefined>;

export function discoveryFrom(transport: Transport): DiscoveryGet {
  return async (path) => {
    try {
      return await transport.json({ method: 'GET', path });
    } catch (err) {
      // Not served is an answer ("Incompatible"), not a failure.
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
}

/** Each requested type's state on the physical cluster, in the order requested. Network errors throw. */
export async function assessResources(get: DiscoveryGet, requested: RequestedResource[]): Promise<SyncedResource[]> {
  const out: SyncedResource[] = [];
  for (const r of requested) {
    const versions = r.group === '' ? ['v1'] : ((await get(`/apis/${r.group}`)) as APIGroup | undefined)?.versions?.map((v) => v.version) ?? [];
    const serving: string[] = [];
    for (const v of versions) {
      const list = (await get(r.group === '' ? `/api/${v}` : `/apis/${r.group}/${v}`)) as APIResourceList | undefined;
      if (list?.resources?.some((x) => x.name === r.resource)) serving.push(v);
    }
    const base = { ...(r.group ? { group: r.group } : {}), resource: r.resource };
    if (serving.length > 0) out.push({ ...base, versions: serving, state: 'Accepted' });
    else {
      const name = r.group ? `${r.resource}.${r.group}` : r.resource;
      const why = versions.length === 0 && r.group ? `the physical cluster does not serve API group ${r.group}` : `the physical cluster does not serve ${name}`;
      out.push({ ...base, state: 'Incompatible', message: why });
    }
  }
  return out;
}
