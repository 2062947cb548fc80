// Summarise a V8 .heapsnapshot (as written by `scale --heap-snapshot DIR`) into tables a person
// can read: where the live heap goes by constructor (self size), and the dominator tree cut at a
// size threshold (what holds the memory: a Map's retained size is everything only it keeps
// alive). Used to attribute the default process's heap (issue 15, memory):
//   node --max-old-space-size=4096 hack/profile/heap.ts <file.heapsnapshot> [--top 30] [--min-mib 1] [--depth 8]
// Retained sizes follow V8's own definition (immediate dominators over strong edges from the
// synthetic root), computed with Cooper, Harvey and Kennedy's iterative algorithm.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapGraph {
  count: number;
  /** Node type name ('object', 'string', 'closure', …) per node. */
  type: string[];
  /** Constructor or string-ish name per node. */
  name: string[];
  selfSize: Float64Array;
  /** Strong edges (weak ones keep nothing alive), as CSR: targets of node i are edgeTo[edgeStart[i]..edgeStart[i+1]). */
  edgeStart: Uint32Array;
  edgeTo: Uint32Array;
  edgeName: string[];
}

export function parseSnapshot(raw: Snapshot): HeapGraph {
  const meta = raw.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const [iType, iName, iSelf, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f)) as [number, number, number, number];
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [number, number, number];
  const count = raw.nodes.length / nf;
  const type: string[] = new Array<string>(count);
  const name: string[] = new Array<string>(count);
  const selfSize = new Float64Array(count);
  const edgeStart = new Uint32Array(count + 1);
  const to: number[] = [];
  const edgeName: string[] = [];
  let e = 0;
  for (let i = 0; i < count; i++) {
    const base = i * nf;
    type[i] = nodeTypes[raw.nodes[base + iType]!]!;
    name[i] = raw.strings[raw.nodes[base + iName]!]!;
    selfSize[i] = raw.nodes[base + iSelf]!;
    edgeStart[i] = to.length;
    const n = raw.nodes[base + iEdges]!;
    for (let k = 0; k < n; k++, e++) {
      const eb = e * ef;
      const et = edgeTypes[raw.edges[eb + eType]!]!;
      if (et === 'weak' || et === 'shortcut') continue;
      to.push(raw.edges[eb + eTo]! / nf);
      const nm = raw.edges[eb + eName]!;
      edgeName.push(et === 'element' || et === 'hidden' ? `[${nm}]` : String(raw.strings[nm]));
    }
  }
  edgeStart[count] = to.length;
  return { count, type, name, selfSize, edgeStart, edgeTo: Uint32Array.from(to), edgeName };
}

/** Immediate dominator of every node reachable from node 0 (-1 for unreachable), and retained sizes. */
export function dominators(g: HeapGraph): { idom: Int32Array; retained: Float64Array; order: Uint32Array } {
  // Post-order by iterative DFS from the root.
  const post = new Int32Array(g.count).fill(-1);
  const order: number[] = [];
  const stack: number[] = [0];
  const next = new Uint32Array(g.count);
  const seen = new Uint8Array(g.count);
  seen[0] = 1;
  for (let i = 0; i < g.count; i++) next[i] = g.edgeStart[i]!;
  while (stack.length) {
    const v = stack[stack.length - 1]!;
    if (next[v]! < g.edgeStart[v + 1]!) {
      const w = g.edgeTo[next[v]!++]!;
      if (!seen[w]) {
        seen[w] = 1;
        stack.push(w);
      }
    } else {
      stack.pop();
      post[v] = order.length;
      order.push(v);
    }
  }
  // Predecessors (reachable ones only).
  const predCount = new Uint32Array(g.count + 1);
  for (let v = 0; v < g.count; v++) if (seen[v]) for (let k = g.edgeStart[v]!; k < g.edgeStart[v + 1]!; k++) predCount[g.edgeTo[k]! + 1]!++;
  for (let i = 0; i < g.count; i++) predCount[i + 1]! += predCount[i]!;
  const predStart = predCount.slice();
  const preds = new Uint32Array(predCount[g.count]!);
  const fill = predCount.slice();
  for (let v = 0; v < g.count; v++) if (seen[v]) for (let k = g.edgeStart[v]!; k < g.edgeStart[v + 1]!; k++) preds[fill[g.edgeTo[k]!]!++] = v;
  const idom = new Int32Array(g.count).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (post[a]! < post[b]!) a = idom[a]!;
      while (post[b]! < post[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = order.length - 2; i >= 0; i--) {
      const v = order[i]!;
      let d = -1;
      for (let k = predStart[v]!; k < predStart[v + 1]!; k++) {
        const p = preds[k]!;
        if (idom[p] === -1) continue;
        d = d === -1 ? p : intersect(p, d);
      }
      if (d !== -1 && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  const retained = Float64Array.from(g.selfSize);
  for (const v of order) if (v !== 0 && idom[v]! >= 0) retained[idom[v]!]! += retained[v]!;
  for (let v = 0; v < g.count; v++) if (!seen[v]) retained[v] = 0;
  return { idom, retained, order: Uint32Array.from(order) };
}

const mib = (b: number) => (b / 1048576).toFixed(1);

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: heap.ts <file.heapsnapshot> [--top 30] [--min-mib 1] [--depth 8]');
  const opt = (n: string, d: number) => (args.includes(n) ? Number(args[args.indexOf(n) + 1]) : d);
  const top = opt('--top', 30);
  const minBytes = opt('--min-mib', 1) * 1048576;
  const maxDepth = opt('--depth', 8);
  const g = parseSnapshot(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
  const { idom, retained } = dominators(g);
  let total = 0;
  const byCtor = new Map<string, { count: number; self: number }>();
  for (let v = 0; v < g.count; v++) {
    if (retained[v] === 0 && v !== 0) continue;
    total += g.selfSize[v]!;
    const key = g.type[v] === 'object' || g.type[v] === 'closure' ? `${g.type[v]} ${g.name[v]}` : `(${g.type[v]})`;
    const row = byCtor.get(key) ?? { count: 0, self: 0 };
    row.count++;
    row.self += g.selfSize[v]!;
    byCtor.set(key, row);
  }
  console.log(`live heap ${mib(total)} MiB in ${g.count} nodes`);
  console.log('\nby constructor (self size):');
  for (const [k, r] of [...byCtor].sort((a, b) => b[1].self - a[1].self).slice(0, top)) console.log(`  ${mib(r.self).padStart(7)} MiB  ${String(r.count).padStart(8)}  ${k.slice(0, 100)}`);
  // Dominator tree, cut at minBytes: children of each node sorted by retained size.
  const kids = new Map<number, number[]>();
  for (let v = 1; v < g.count; v++) {
    const d = idom[v]!;
    if (d < 0 || retained[v]! < minBytes) continue;
    const list = kids.get(d) ?? [];
    list.push(v);
    kids.set(d, list);
  }
  const edgeFrom = (p: number, v: number): string => {
    for (let k = g.edgeStart[p]!; k < g.edgeStart[p + 1]!; k++) if (g.edgeTo[k] === v) return g.edgeName[k]!;
    return '…';
  };
  console.log(`\ndominator tree (retained ≥ ${mib(minBytes)} MiB):`);
  const walk = (v: number, depth: number): void => {
    for (const c of (kids.get(v) ?? []).sort((a, b) => retained[b]! - retained[a]!)) {
      console.log(`${'  '.repeat(depth)}${mib(retained[c]!).padStart(7)} MiB  .${edgeFrom(v, c).slice(0, 40)} → ${g.type[c]} ${g.name[c]!.slice(0, 80)}`);
      if (depth < maxDepth) walk(c, depth + 1);
    }
  };
  walk(0, 1);
}

if (import.meta.main) main();
