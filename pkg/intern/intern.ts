// String interning for the decoded objects a process keeps (the watch cache, the controllers'
// informer caches). JSON.parse makes a new string for every value, so 2,000 reconciled
// SyncTargets held "workload.kcp.io/v1alpha1" 35,651 times, "SyncTarget" 23,858 times and each
// second's timestamp thousands of times: half of the server's 38 MiB of strings were copies of
// one another (heap snapshot, docs/design.md §11 memory). Replacing a value by an identical
// string is invisible to every reader (strings are values), so objects can be interned in
// place even when they are already shared.
//
// The pool is bounded: two generations of at most `maxEntries` each; a string found in the old
// generation moves to the young one, and when the young one is full the old one is dropped.
// Strings longer than `maxLength` are left alone (rarely repeated, and costly to hash).

export interface StringPoolOptions {
  /** Entries per generation. Defaults to 65,536. */
  maxEntries?: number;
  /** Longer strings are not interned. Defaults to 256. */
  maxLength?: number;
}

export class StringPool {
  private readonly maxEntries: number;
  private readonly maxLength: number;
  private young = new Map<string, string>();
  private old = new Map<string, string>();

  constructor(opts: StringPoolOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 65_536;
    this.maxLength = opts.maxLength ?? 256;
  }

  /** The pooled string equal to `s` (`s` itself the first time). */
  intern(s: string): string {
    if (s.length > this.maxLength) return s;
    const hit = this.young.get(s);
    if (hit !== undefined) return hit;
    const kept = this.old.get(s) ?? s;
    if (this.young.size >= this.maxEntries) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(kept, kept);
    return kept;
  }

  /**
   * Intern every string value inside `value` (objects and arrays, in place); keys are left as
   * they are. `known` is an object interned before whose subtrees `value` may share: one found
   * at the same position is skipped (a written object handed to the watch cache as it is keeps
   * the previous version's spec, conditions, labels: walking them again was most of this walk).
   */
  internValues(value: unknown, known?: unknown): void {
    // A frozen value is a TreePool's (below): pooled already, and not ours to write to. A
    // written object handed to the watch cache as it is can hold one (a managedFields entry's
    // fieldsV1 kept from the version before).
    if (typeof value !== 'object' || value === null || value === known || Object.isFrozen(value)) return;
    const seen = typeof known === 'object' && known !== null ? known : undefined;
    if (Array.isArray(value)) {
      const before = Array.isArray(seen) ? (seen as unknown[]) : undefined;
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'string') value[i] = this.intern(v);
        else if (typeof v === 'object' && v !== null) this.internValues(v, before?.[i]);
      }
      return;
    }
    const rec = value as Record<string, unknown>;
    const before = seen !== undefined && !Array.isArray(seen) ? (seen as Record<string, unknown>) : undefined;
    for (const k in rec) {
      const v = rec[k];
      if (typeof v === 'string') rec[k] = this.intern(v);
      else if (typeof v === 'object' && v !== null) this.internValues(v, before !== undefined && Object.hasOwn(before, k) ? before[k] : undefined);
    }
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

/** The process's pool: the watch cache and the informers share their strings through it. */
export const sharedStrings = new StringPool();

/**
 * A pool of JSON trees by their encoding: equal trees become one shared, deeply frozen object.
 * For subtrees that many cached objects repeat verbatim — a field manager's managedFields
 * `fieldsV1` is the same set of fields on every SyncTarget it reconciled — where a string pool
 * still leaves one tree of objects per copy. Frozen because sharing widens what a mutation of
 * one cached object would corrupt: it throws instead (module code is strict).
 * Bounded like StringPool: two generations of `maxEntries` trees (few: a tree seen once, such as
 * one naming an ownerReference's uid, costs its encoding as the key until it ages out, while the
 * repeated ones are hit again long before); larger trees than `maxBytes` (encoded) are left alone.
 */
export class TreePool {
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private young = new Map<string, object>();
  private old = new Map<string, object>();

  constructor(opts: { maxEntries?: number; maxBytes?: number } = {}) {
    this.maxEntries = opts.maxEntries ?? 1024;
    this.maxBytes = opts.maxBytes ?? 64 * 1024;
  }

  /**
   * The pooled tree equal to `tree`, built bottom-up: every subtree is pooled, so trees that
   * differ in one leaf share the rest (a field set naming an ownerReference's uid is unique, its
   * other fields are not). A subtree's key is made of its children's keys, not encoded again at
   * every level. Fresh nodes are frozen as they enter the pool.
   */
  intern<T extends object>(tree: T): T {
    // Most trees are pooled whole already (a field manager's fieldsV1 repeats on every object it
    // reconciled): one native JSON.stringify finds them. Its output is exactly the key the
    // bottom-up walk builds piece by piece in JS (decoded JSON holds no undefined), which costs
    // several times more and is only needed for a tree not seen before.
    const whole = JSON.stringify(tree);
    if (whole.length <= this.maxBytes) {
      const hit = this.young.get(whole) ?? this.old.get(whole);
      if (hit !== undefined) {
        if (!this.young.has(whole)) this.remember(whole, hit);
        return hit as T;
      }
    }
    return this.deep(tree).node as T;
  }

  private remember(key: string, node: object): void {
    if (this.young.size >= this.maxEntries) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, node);
  }

  private deep(node: object): { node: object; key: string } {
    const rec = node as Record<string, unknown>;
    // A frozen node is already pooled (its children too): nothing to replace in it.
    const fresh = !Object.isFrozen(node);
    const open = Array.isArray(node) ? '[' : '{';
    let key = open;
    for (const k in rec) {
      const v = rec[k];
      let vk: string;
      if (typeof v === 'object' && v !== null) {
        const child = this.deep(v);
        if (fresh && child.node !== v) rec[k] = child.node;
        vk = child.key;
      } else {
        // undefined (never in decoded JSON) must not collide with null.
        vk = JSON.stringify(v) ?? 'undefined';
      }
      if (key.length > 1) key += ',';
      key += open === '[' ? vk : `${JSON.stringify(k)}:${vk}`;
    }
    key += open === '[' ? ']' : '}';
    if (key.length > this.maxBytes) return { node, key };
    const hit = this.young.get(key);
    if (hit !== undefined) return { node: hit, key };
    const kept = this.old.get(key) ?? Object.freeze(node);
    this.remember(key, kept);
    return { node: kept, key };
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}
