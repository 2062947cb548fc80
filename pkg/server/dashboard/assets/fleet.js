// @ts-check
// The fleet as this user may see it: which workspaces it can reach, the SyncTargets in them,
// and the Events of one selected target, kept current by informers (api.js).
//
// Two ways in, chosen by asking the server rather than guessing from the token:
//  - operator: the wildcard cluster `/clusters/*` answers a list of SyncTargets, so one
//    wildcard informer for SyncTargets and one for Workspaces cover the whole fleet;
//  - workspace user (a tenant): the wildcard is refused (403), so start from the workspace
//    paths the user typed (default `root`), list SyncTargets and child Workspaces in each,
//    and walk down through every child the user may list. A 403 marks that workspace
//    "no access"; nothing outside what RBAC grants is ever requested with another identity.
//
// Placements hook: kplane has no placement API yet (its own issue). When it exists, one more
// informer here (wildcard for operators, per workspace otherwise) feeds the #placements
// section of index.html, which today says plainly that placements are not available.
import { Api, ApiError, clusterOf, Informer, MAX_WATCHES, WatchBudget } from './api.js';
import { describeCondition, findCondition } from './format.js';

const ST = '/apis/workload.kcp.io/v1alpha1/synctargets';
const WS = '/apis/tenancy.kcp.io/v1alpha1/workspaces';
/** Bound on the walk: a tenant with more workspaces sees the first ones and a note. */
export const MAX_WORKSPACES = 100;
/** How many Events of the selected target are shown. */
export const EVENTS_SHOWN = 10;

/**
 * @typedef {import('./api.js').KubeObject & { spec?: any, status?: any }} Obj
 * @typedef {'checking' | 'ok' | 'forbidden' | 'error'} Access
 * @typedef {{ path: string, phase: string, targets: Access, children: Access, detail: string }} WorkspaceInfo
 */

/** The logical cluster path of a child workspace. @param {string} parent @param {string} name */
export function childPath(parent, name) {
  return `${parent}:${name}`;
}

/**
 * The workspace tree from a set of paths: each node's parent is its path minus the last
 * segment; a path whose parent is not in the set is a top-level node.
 * @param {string[]} paths
 * @returns {{ path: string, name: string, children: any[] }[]}
 */
export function buildTree(paths) {
  /** @type {Map<string, { path: string, name: string, children: any[] }>} */
  const nodes = new Map();
  for (const p of [...new Set(paths)].sort()) nodes.set(p, { path: p, name: p.split(':').at(-1) ?? p, children: [] });
  const roots = [];
  for (const n of nodes.values()) {
    const parent = nodes.get(n.path.split(':').slice(0, -1).join(':'));
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}

/** Informer state → what a workspace row says about a collection. @param {import('./api.js').InformerState} s @returns {Access} */
function accessOf(s) {
  if (s === 'live' || s === 'polling') return 'ok';
  if (s === 'forbidden') return 'forbidden';
  if (s === 'starting') return 'checking';
  return 'error';
}

export class Fleet {
  /**
   * @param {{ token: string, startPaths: string[], onUpdate: () => void, onAnnounce: (text: string) => void,
   *           onUnauthorized: (message: string) => void }} o
   */
  constructor(o) {
    this.api = new Api(o.token);
    this.startPaths = o.startPaths;
    this.onUpdate = o.onUpdate;
    this.onAnnounce = o.onAnnounce;
    this.onUnauthorized = o.onUnauthorized;
    // One connection is kept back for the selected target's Events, one for plain requests.
    this.budget = new WatchBudget(MAX_WATCHES - 1);
    this.eventsBudget = new WatchBudget(1);
    /** @type {'detecting' | 'operator' | 'workspaces'} */
    this.mode = 'detecting';
    /** @type {Map<string, WorkspaceInfo>} */
    this.workspaces = new Map();
    /** @type {Map<string, { targets?: Informer, children?: Informer }>} per workspace path (workspace mode) */
    this.perWorkspace = new Map();
    /** @type {Informer[]} */
    this.wildcard = [];
    /** @type {Map<string, string>} target key → last Ready text, to announce transitions */
    this.lastReady = new Map();
    /** @type {{ cluster: string, name: string, informer: Informer } | undefined} */
    this.selected = undefined;
    this.truncated = false;
    this.stopped = false;
  }

  async start() {
    try {
      await this.api.get(`/clusters/*${ST}?limit=1`);
      this.mode = 'operator';
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 401) return this.onUnauthorized(err.message);
      this.mode = 'workspaces';
    }
    if (this.stopped) return;
    if (this.mode === 'operator') this.startOperator();
    else for (const p of this.startPaths) this.visit(p);
    this.onUpdate();
  }

  stop() {
    this.stopped = true;
    for (const i of this.wildcard) i.stop();
    for (const w of this.perWorkspace.values()) { w.targets?.stop(); w.children?.stop(); }
    this.selected?.informer.stop();
  }

  /** An informer changed state: a refused token ends the session, anything else redraws. @param {import('./api.js').InformerState} s @param {string} detail */
  informerState(s, detail) {
    if (s === 'unauthorized') return this.onUnauthorized(detail);
    this.onUpdate();
  }

  startOperator() {
    const mk = (/** @type {string} */ path) =>
      new Informer({ api: this.api, path, budget: this.budget, onChange: () => this.changed(), onState: (s, d) => this.informerState(s, d) });
    this.wildcard = [mk(`/clusters/*${ST}`), mk(`/clusters/*${WS}`)];
    for (const i of this.wildcard) i.start();
  }

  /** Start watching one workspace path the user may reach (workspace mode). @param {string} path */
  visit(path) {
    if (this.perWorkspace.has(path) || this.stopped) return;
    if (this.perWorkspace.size >= MAX_WORKSPACES) { this.truncated = true; return; }
    /** @type {WorkspaceInfo} */
    const info = { path, phase: '', targets: 'checking', children: 'checking', detail: '' };
    this.workspaces.set(path, info);
    /** @type {{ targets?: Informer, children?: Informer }} */
    const entry = {};
    this.perWorkspace.set(path, entry);
    const base = `/clusters/${path}`;
    const targets = new Informer({
      api: this.api, path: `${base}${ST}`, cluster: path, budget: this.budget,
      onChange: () => this.changed(),
      onState: (s, d) => { info.targets = accessOf(s); if (s === 'error') info.detail = d; this.informerState(s, d); },
    });
    const children = new Informer({
      api: this.api, path: `${base}${WS}`, cluster: path, budget: this.budget,
      onChange: () => { this.walk(path, children); this.changed(); },
      onState: (s, d) => { info.children = accessOf(s); if (s === 'error') info.detail = d; this.informerState(s, d); },
    });
    entry.targets = targets.start();
    entry.children = children.start();
  }

  /** Visit new children of `parent` and forget removed ones. @param {string} parent @param {Informer} children */
  walk(parent, children) {
    const now = new Set();
    for (const ws of children.items.values()) {
      const p = childPath(parent, ws.metadata.name);
      now.add(p);
      this.visit(p);
    }
    for (const p of [...this.perWorkspace.keys()]) {
      if (p.startsWith(`${parent}:`) && p.split(':').length === parent.split(':').length + 1 && !now.has(p) && !this.startPaths.includes(p)) this.forget(p);
    }
  }

  /** @param {string} path */
  forget(path) {
    for (const p of [...this.perWorkspace.keys()]) {
      if (p !== path && !p.startsWith(`${path}:`)) continue;
      const e = this.perWorkspace.get(p);
      e?.targets?.stop();
      e?.children?.stop();
      this.perWorkspace.delete(p);
      this.workspaces.delete(p);
    }
  }

  changed() {
    this.announceTransitions();
    this.onUpdate();
  }

  /** All Workspace objects seen, with the path of the workspace each stands for. */
  workspaceObjects() {
    /** @type {{ path: string, obj: Obj }[]} */
    const out = [];
    if (this.mode === 'operator') {
      for (const o of this.wildcard[1]?.items.values() ?? []) out.push({ path: childPath(clusterOf(o), o.metadata.name), obj: o });
      return out;
    }
    for (const [parent, e] of this.perWorkspace) {
      for (const o of e.children?.items.values() ?? []) out.push({ path: childPath(parent, o.metadata.name), obj: o });
    }
    return out;
  }

  /** Every workspace to show, with what the user may see there. @returns {Map<string, WorkspaceInfo>} */
  workspaceInfos() {
    /** @type {Map<string, WorkspaceInfo>} */
    const out = new Map();
    if (this.mode === 'operator') {
      const st = accessOf(this.wildcard[0]?.state ?? 'starting');
      const ws = accessOf(this.wildcard[1]?.state ?? 'starting');
      out.set('root', { path: 'root', phase: 'Ready', targets: st, children: ws, detail: '' });
    } else {
      for (const [p, i] of this.workspaces) out.set(p, { ...i });
    }
    for (const { path, obj } of this.workspaceObjects()) {
      const known = out.get(path);
      if (known) known.phase = obj.status?.phase ?? '';
      else if (this.mode === 'operator') out.set(path, { path, phase: obj.status?.phase ?? '', targets: 'ok', children: 'ok', detail: '' });
    }
    return out;
  }

  /** Every SyncTarget seen, sorted by workspace then name. */
  targets() {
    /** @type {{ key: string, cluster: string, obj: Obj }[]} */
    const out = [];
    const sources = this.mode === 'operator' ? [this.wildcard[0]] : [...this.perWorkspace.values()].map((e) => e.targets);
    for (const inf of sources) {
      if (!inf) continue;
      for (const [key, o] of inf.items) out.push({ key, cluster: clusterOf(o) || inf.cluster, obj: o });
    }
    return out.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.obj.metadata.name.localeCompare(b.obj.metadata.name));
  }

  /** Streams by state, for the status line. */
  streams() {
    const all = this.mode === 'operator' ? this.wildcard : [...this.perWorkspace.values()].flatMap((e) => [e.targets, e.children]);
    let live = 0;
    let polling = 0;
    for (const i of all) {
      if (i?.state === 'live') live++;
      else if (i?.state === 'polling') polling++;
    }
    return { live, polling };
  }

  announceTransitions() {
    const seen = new Set();
    for (const t of this.targets()) {
      seen.add(t.key);
      const text = describeCondition(findCondition(t.obj, 'Ready'), 'Ready').text;
      const before = this.lastReady.get(t.key);
      this.lastReady.set(t.key, text);
      if (before !== undefined && before !== text) this.onAnnounce(`SyncTarget ${t.obj.metadata.name} in ${t.cluster} is now ${text}.`);
    }
    for (const k of [...this.lastReady.keys()]) if (!seen.has(k)) this.lastReady.delete(k);
  }

  /** Show the Events of one SyncTarget (core/v1 Events in `default` with it as involvedObject). @param {string} cluster @param {string} name */
  select(cluster, name) {
    this.selected?.informer.stop();
    const informer = new Informer({
      api: this.api, path: `/clusters/${cluster}/api/v1/namespaces/default/events`, cluster, budget: this.eventsBudget,
      query: { fieldSelector: `involvedObject.kind=SyncTarget,involvedObject.name=${name}` },
      onChange: () => this.onUpdate(),
      onState: (s, d) => this.informerState(s, d),
    });
    this.selected = { cluster, name, informer: informer.start() };
    this.onUpdate();
  }

  unselect() {
    this.selected?.informer.stop();
    this.selected = undefined;
    this.onUpdate();
  }

  /** The newest Events of the selected target, newest first. */
  events() {
    if (!this.selected) return [];
    const time = (/** @type {any} */ e) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '') || 0;
    return [.../** @type {Iterable<any>} */ (this.selected.informer.items.values())].sort((a, b) => time(b) - time(a)).slice(0, EVENTS_SHOWN);
  }
}
