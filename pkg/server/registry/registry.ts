// Registry holds one ResourceStore per served resource, looked up by group/version/plural.
import type { ResourceDefinition } from '../../../apis/resource.ts';
import type { Storage } from '../../storage/interface.ts';
import { ResourceStore } from './store.ts';
import type { HistoryGuard } from './strategy.ts';

export class Registry {
  readonly defs: ResourceDefinition[];
  private readonly byGVR = new Map<string, ResourceStore>();
  private readonly byGR = new Map<string, ResourceStore>();

  constructor(defs: ResourceDefinition[], storage: Storage, now: () => number = Date.now) {
    this.defs = defs;
    for (const def of defs) {
      const store = new ResourceStore(def, storage, now);
      this.byGVR.set(`${def.group}/${def.version}/${def.plural}`, store);
      this.byGR.set(`${def.group}/${def.plural}`, store);
    }
  }

  lookup(group: string, version: string, plural: string): ResourceStore | undefined {
    return this.byGVR.get(`${group}/${version}/${plural}`);
  }

  /** The store for a group/resource regardless of version (one version per resource today). */
  store(group: string, plural: string): ResourceStore {
    const s = this.byGR.get(`${group}/${plural}`);
    if (!s) throw new Error(`resource ${plural}.${group} is not registered`);
    return s;
  }

  /** Every store refuses reads older than the birth of the logical cluster they address. */
  setHistoryGuard(guard: HistoryGuard): void {
    for (const s of this.byGR.values()) s.history = guard;
  }

  /** Every stored (non-virtual) resource, for whole-cluster operations such as workspace deletion. */
  storedResources(): ResourceStore[] {
    return [...this.byGR.values()].filter((s) => !s.def.virtual);
  }
}
