// Summarise a V8 .cpuprofile (as written by `node --cpu-prof`) into tables a person can read:
// the top functions by self time and by inclusive time, and the same by file (or by repository
// folder). Used to find where the request path spends its time (issue 15):
//   node hack/profile/summarize.ts <file.cpuprofile> [--top 40] [--by-folder] [--callers <name>] [--callees <name>]
// Inclusive time counts each function once per sample even when it recurses, so a function's
// inclusive share is "the fraction of samples in which it was on the stack".
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Row {
  key: string;
  selfUs: number;
  totalUs: number;
}

export interface Summary {
  totalUs: number;
  /** Samples whose leaf is (idle): the event loop waiting. */
  idleUs: number;
  functions: Row[];
  files: Row[];
}

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** A short, stable name for a script URL: repository-relative, node:internal as is. */
export function fileOf(url: string): string {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  if (path.startsWith('/')) {
    const rel = relative(REPO_ROOT, path);
    return rel.startsWith('..') ? path : rel;
  }
  return path;
}

/** The folder a file is counted under with --by-folder: node_modules/<pkg>, pkg/<area>/<sub>, node:internal/<x>. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  const nm = parts.lastIndexOf('node_modules');
  if (nm >= 0) return parts.slice(nm, nm + (parts[nm + 1]?.startsWith('@') ? 3 : 2)).join('/');
  if (file.startsWith('node:internal/')) return parts.slice(0, 2).join('/');
  if (parts[0] === 'pkg' || parts[0] === 'apis' || parts[0] === 'cmd') return parts.slice(0, Math.min(3, parts.length - 1)).join('/');
  return file;
}

function functionKey(f: CallFrame): string {
  const name = f.functionName || '(anonymous)';
  return f.url ? `${name} ${fileOf(f.url)}:${f.lineNumber + 1}` : name;
}

/**
 * Time of the samples in which a function whose key contains `needle` is on the stack, split
 * by `group`: given the outermost matching frame and the frame it called (undefined when the
 * match is the leaf), the row key, or a frame id to name the row by.
 */
function splitOutermostMatch(profile: CpuProfile, needle: string, group: (match: number, below: number | undefined, parent: ReadonlyMap<number, number>) => number | string): Row[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, Row>();
  const mean = profile.timeDeltas.length ? (profile.endTime - profile.startTime) / profile.timeDeltas.length : 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = Math.max(0, profile.timeDeltas[i + 1] ?? mean);
    // Walk up from the leaf; remember the outermost match and the frame just below it.
    let match: number | undefined;
    let below: number | undefined;
    let prev: number | undefined;
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      if (functionKey(byId.get(id)!.callFrame).includes(needle)) {
        match = id;
        below = prev;
      }
      prev = id;
    }
    if (match === undefined) continue;
    const g = group(match, below, parent);
    const key = typeof g === 'number' ? functionKey(byId.get(g)!.callFrame) : g;
    let r = out.get(key);
    if (!r) out.set(key, (r = { key, selfUs: 0, totalUs: 0 }));
    r.totalUs += us;
  }
  return [...out.values()];
}

/**
 * Who calls the functions whose key contains `needle`: inclusive time of each matching
 * function split by its caller (the nearest frame above it that does not match).
 */
export function callersOf(profile: CpuProfile, needle: string): Row[] {
  return splitOutermostMatch(profile, needle, (match, _below, parent) => parent.get(match) ?? '(top)');
}

/**
 * What the functions whose key contains `needle` spend their time in: the inclusive time under
 * the outermost matching frame of each sample, split by the frame it called (or "(self)").
 */
export function calleesOf(profile: CpuProfile, needle: string): Row[] {
  return splitOutermostMatch(profile, needle, (_match, below) => below ?? '(self)');
}

export function summarize(profile: CpuProfile, byFolder = false): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const fn = new Map<string, Row>();
  const file = new Map<string, Row>();
  const row = (m: Map<string, Row>, key: string) => {
    let r = m.get(key);
    if (!r) m.set(key, (r = { key, selfUs: 0, totalUs: 0 }));
    return r;
  };
  let totalUs = 0;
  let idleUs = 0;
  // Each sample's weight is the time until the next sample (timeDeltas[i + 1]); the last one
  // gets the mean, which is what V8's own tooling approximates as well.
  const deltas = profile.timeDeltas;
  const mean = deltas.length ? (profile.endTime - profile.startTime) / deltas.length : 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = Math.max(0, deltas[i + 1] ?? mean);
    totalUs += us;
    const leaf = byId.get(profile.samples[i]!);
    if (!leaf) continue;
    if (leaf.callFrame.functionName === '(idle)') {
      // Waiting is not work: counted once, kept out of every table.
      idleUs += us;
      continue;
    }
    row(fn, functionKey(leaf.callFrame)).selfUs += us;
    const leafFile = byFolder ? folderOf(fileOf(leaf.callFrame.url)) : fileOf(leaf.callFrame.url);
    row(file, leafFile).selfUs += us;
    const seenFn = new Set<string>();
    const seenFile = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id)!.callFrame;
      const k = functionKey(cf);
      if (!seenFn.has(k)) {
        seenFn.add(k);
        row(fn, k).totalUs += us;
      }
      const f = byFolder ? folderOf(fileOf(cf.url)) : fileOf(cf.url);
      if (!seenFile.has(f)) {
        seenFile.add(f);
        row(file, f).totalUs += us;
      }
    }
  }
  return { totalUs, idleUs, functions: [...fn.values()], files: [...file.values()] };
}

function table(title: string, rows: Row[], sortBy: 'selfUs' | 'totalUs', top: number, busyUs: number): string {
  const pct = (us: number) => `${((100 * us) / busyUs).toFixed(1)}%`.padStart(6);
  const sorted = rows.filter((r) => r.key !== '(root)' && r.key !== '(idle)' && r.key !== '(program)').sort((a, b) => b[sortBy] - a[sortBy]);
  const lines = sorted.slice(0, top).map((r) => `${pct(r.selfUs)} ${pct(r.totalUs)}  ${r.key}`);
  return [`${title}`, '  self  total  (share of busy samples)', ...lines].join('\n');
}

function main(argv: string[]): void {
  const fileArg = argv.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!fileArg) {
    process.stderr.write('usage: node hack/profile/summarize.ts <file.cpuprofile> [--top N] [--by-folder] [--callers <name>] [--callees <name>]\n');
    process.exitCode = 2;
    return;
  }
  const topIdx = argv.indexOf('--top');
  const top = topIdx >= 0 ? Number(argv[topIdx + 1]) : 40;
  const byFolder = argv.includes('--by-folder');
  const profile = JSON.parse(readFileSync(fileArg, 'utf8')) as CpuProfile;
  const s = summarize(profile, byFolder);
  const callersIdx = argv.indexOf('--callers');
  if (callersIdx >= 0) {
    const needle = argv[callersIdx + 1] ?? '';
    process.stdout.write(table(`callers of functions matching "${needle}" (their inclusive time, by caller)`, callersOf(profile, needle), 'totalUs', top, s.totalUs - s.idleUs) + '\n');
    return;
  }
  const calleesIdx = argv.indexOf('--callees');
  if (calleesIdx >= 0) {
    const needle = argv[calleesIdx + 1] ?? '';
    process.stdout.write(table(`callees of functions matching "${needle}" (inclusive time under them, by callee)`, calleesOf(profile, needle), 'totalUs', top, s.totalUs - s.idleUs) + '\n');
    return;
  }
  const busy = s.totalUs - s.idleUs;
  const gc = s.functions.find((r) => r.key === '(garbage collector)')?.selfUs ?? 0;
  const program = s.functions.find((r) => r.key === '(program)')?.selfUs ?? 0;
  process.stdout.write(
    [
      `${fileArg}: ${(s.totalUs / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(1)} s (${((100 * busy) / s.totalUs).toFixed(0)}%), ` +
        `GC ${((100 * gc) / busy).toFixed(1)}% and (program) ${((100 * program) / busy).toFixed(1)}% of busy`,
      '',
      table(`top ${top} functions by self time`, s.functions, 'selfUs', top, busy),
      '',
      table(`top ${top} functions by inclusive time`, s.functions, 'totalUs', top, busy),
      '',
      table(`top ${top} ${byFolder ? 'folders' : 'files'} by self time`, s.files, 'selfUs', top, busy),
      '',
      table(`top ${top} ${byFolder ? 'folders' : 'files'} by inclusive time`, s.files, 'totalUs', top, busy),
      '',
    ].join('\n'),
  );
}

if (import.meta.main) main(process.argv.slice(2));
