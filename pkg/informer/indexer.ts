// Indexer: a thread-safe-by-construction (single-threaded) object cache keyed by cluster
// key, with named secondary indexes. `cluster` and `cluster-and-namespace` are always there.
import { clusterOf, type KubeObject } from '../client/object.ts';
import { keyOf } from './keys.ts';

export type IndexFunc<T> = (obj: T) => string[];

export const CLUSTER_INDEX = 'cluster';
export const CLUSTER_AND_NAMESPACE_INDEX = 'cluster-and-namespace';

export function clusterAndNamespace(cluster: string, namespace: string): string {
  return `${cluster}|${namespace}`;
}

export class Indexer<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(extra: Record<string, IndexFunc<T>> = {}) {
    this.addIndexers({
      [CLUSTER_INDEX]: (o) => [clusterOf(o)],
      [CLUSTER_AND_NAMESPACE_INDEX]: (o) => [clusterAndNamespace(clusterOf(o), o.metadata.namespace ?? '')],
      ...extra,
    });
  }

  /** Add indexes; allowed before or after objects are present (existing objects are indexed). */
  addIndexers(extra: Record<string, IndexFunc<T>>): void {
    for (const [name, fn] of Object.entries(extra)) {
      if (this.indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) for (const v of fn(obj)) addTo(index, v, key);
    }
  }

  /** Whether an index of this name exists (shared informers: the first consumer adds it). */
  hasIndex(name: string): boolean {
    return this.indexers.has(name);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  get size(): number {
    return this.items.size;
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  /** Insert or replace; returns the previous object. */
  upsert(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Remove by key; returns what was there. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index "${indexName}" does not exist`);
    const keys = index.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = this.items.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index "${indexName}" does not exist`);
    return [...(index.get(value) ?? [])];
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) addTo(index, v, key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const set = index.get(v);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) index.delete(v);
      }
    }
  }
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let set = index.get(value);
  if (!set) {
    set = new Set();
    index.set(value, set);
  }
  set.add(key);
}
