// Incarnations of a logical cluster. Storage keys name a cluster by its path, so a workspace
// deleted and created again under the same name reuses its predecessor's keys, and the
// predecessor's objects are still in storage history until compaction. Each Workspace
// therefore records the revision its logical cluster was born at (after its path was swept
// empty); a read or watch in that cluster at an older revision could see the predecessor and
// is answered 410 Expired instead (ResourceStore asks through the registry's HistoryGuard).
import { baseName, parentOf } from '../../logicalcluster/path.ts';
import type { Registry } from '../registry/registry.ts';
import type { KObject } from '../registry/object.ts';
import type { HistoryGuard } from '../registry/strategy.ts';

/** System-owned annotation on a Workspace: the storage revision its logical cluster was born at. */
export const BIRTH_ANNOTATION = 'tenancy.kcp.io/birth-revision';

export function birthOf(ws: KObject | undefined): number {
  const raw = ws?.metadata.annotations?.[BIRTH_ANNOTATION];
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

export class IncarnationGuard implements HistoryGuard {
  private readonly registry: Registry;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  /**
   * The latest birth along the path: a nested cluster is newer than each ancestor, but a
   * Workspace from before birth revisions were recorded has none, so every level counts.
   */
  async birthRevision(cluster: string): Promise<number> {
    const workspaces = this.registry.store('tenancy.kcp.io', 'workspaces');
    let birth = 0;
    for (let path = cluster, parent = parentOf(path); parent !== undefined; path = parent, parent = parentOf(path)) {
      birth = Math.max(birth, birthOf(await workspaces.tryGet(parent, '', baseName(path))));
    }
    return birth;
  }
}
