// A set of field paths, as structured-merge-diff's fieldpath.Set, stored as a trie whose
// edges are path elements in their managedFields spelling:
//   f:<name>        a field of an object
//   k:{"name":"x"}  an item of a keyed list (keys sorted, compact JSON)
//   v:"x"           an item of a set-like list of primitives
//   i:<n>           an index (not produced here: keyless lists are atomic)
// `member` marks that the path itself is in the set; FieldsV1 writes it as `.` when the
// node also has children, and as `{}` for a leaf.
import { checkDepth } from '../patch/json-value.ts';

export class FieldSet {
  member = false;
  readonly children = new Map<string, FieldSet>();

  static fromPaths(paths: readonly (readonly string[])[]): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.insert(p);
    return set;
  }

  get empty(): boolean {
    return !this.member && this.children.size === 0;
  }

  /** True when no path at or below this node is a member (a trie left with bare branches). */
  get void(): boolean {
    if (this.member) return false;
    for (const c of this.children.values()) if (!c.void) return false;
    return true;
  }

  child(pe: string): FieldSet {
    let c = this.children.get(pe);
    if (c === undefined) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    return c;
  }

  insert(path: readonly string[]): void {
    let node: FieldSet = this;
    for (const pe of path) node = node.child(pe);
    node.member = true;
  }

  has(path: readonly string[]): boolean {
    let node: FieldSet | undefined = this;
    for (const pe of path) {
      node = node.children.get(pe);
      if (node === undefined) return false;
    }
    return node.member;
  }

  /** The node at `path`, if any (members or not). */
  at(path: readonly string[]): FieldSet | undefined {
    let node: FieldSet | undefined = this;
    for (const pe of path) {
      node = node?.children.get(pe);
      if (node === undefined) return undefined;
    }
    return node;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [pe, c] of this.children) out.children.set(pe, c.clone());
    return out;
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    out.addAll(other);
    return out;
  }

  addAll(other: FieldSet): void {
    if (other.member) this.member = true;
    for (const [pe, c] of other.children) this.child(pe).addAll(c);
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      const d = o === undefined ? c.clone() : c.difference(o);
      if (!d.empty) out.children.set(pe, d);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && other.member;
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      if (o === undefined) continue;
      const i = c.intersection(o);
      if (!i.empty) out.children.set(pe, i);
    }
    return out;
  }

  /** True when some member path of `other` is a member here (intersection not empty, nothing built). */
  intersects(other: FieldSet): boolean {
    if (this.member && other.member) return true;
    // Walk the smaller side: a write's changed set is a handful of paths, an owner's set many.
    const [small, large] = this.children.size <= other.children.size ? [this, other] : [other, this];
    for (const [pe, c] of small.children) {
      const o = large.children.get(pe);
      if (o !== undefined && c.intersects(o)) return true;
    }
    return false;
  }

  /** True when every member path of `other` is a member here (union would add nothing). */
  contains(other: FieldSet): boolean {
    if (other.member && !this.member) return false;
    for (const [pe, c] of other.children) {
      const mine = this.children.get(pe);
      if (mine === undefined) {
        if (!c.void) return false;
      } else if (!mine.contains(c)) return false;
    }
    return true;
  }

  /** Member paths, depth-first in FieldsV1 order. */
  paths(prefix: string[] = []): string[][] {
    const out: string[][] = [];
    if (this.member) out.push([...prefix]);
    for (const pe of sortedElements(this.children.keys())) {
      out.push(...(this.children.get(pe) as FieldSet).paths([...prefix, pe]));
    }
    return out;
  }

  /** The FieldsV1 JSON object, with keys in structured-merge-diff order: `.`, f:, k:, v:, i:. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.member && [...this.children.values()].some((c) => !c.void)) out['.'] = {};
    for (const pe of sortedElements(this.children.keys())) {
      // A bare branch would read back as an owned leaf (`{}`), so it is not written.
      if ((this.children.get(pe) as FieldSet).void) continue;
      Object.defineProperty(out, pe, {
        value: (this.children.get(pe) as FieldSet).toFieldsV1(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  /** Reads FieldsV1; returns undefined when the value is not a well-formed set. */
  static fromFieldsV1(value: unknown, depth = 0): FieldSet | undefined {
    checkDepth(depth);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const set = new FieldSet();
    const keys = Object.keys(value);
    if (keys.length === 0) {
      set.member = true;
      return set;
    }
    for (const key of keys) {
      const sub = (value as Record<string, unknown>)[key];
      if (key === '.') {
        set.member = true;
        continue;
      }
      if (!/^[fkvi]:/.test(key)) return undefined;
      const child = FieldSet.fromFieldsV1(sub, depth + 1);
      if (child === undefined) return undefined;
      set.children.set(key, child);
    }
    return set;
  }
}

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function sortedElements(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => {
    const ra = RANK[a[0] ?? ''] ?? 9;
    const rb = RANK[b[0] ?? ''] ?? 9;
    if (ra !== rb) return ra - rb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** The path as kube prints it in conflicts: `.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`. */
export function pathToString(path: readonly string[]): string {
  let out = '';
  for (const pe of path) {
    const body = pe.slice(2);
    switch (pe[0]) {
      case 'f':
        out += `.${body}`;
        break;
      case 'k': {
        let key: Record<string, unknown> = {};
        try {
          key = JSON.parse(body) as Record<string, unknown>;
        } catch {
          // Unparseable keys only come from corrupt stored managedFields; print them raw.
          out += `[${body}]`;
          break;
        }
        out += `[${Object.keys(key)
          .map((k) => `${k}=${JSON.stringify(key[k])}`)
          .join(',')}]`;
        break;
      }
      case 'v':
        out += `[=${body}]`;
        break;
      default:
        out += `[${body}]`;
    }
  }
  return out;
}
