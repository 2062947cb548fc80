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
// What is placed where: Placements and Namespaces are two more informers of the same kind
// (wildcard for operators, per workspace otherwise), sharing the same watch budget, so on a
// busy page they re-list by polling rather than opening more connections. A namespace is
// placed on a SyncTarget by the label `state.workload.kcp.io/<key>: Sync`; the key is
// resolved to a SyncTarget through that target's own `internal.workload.kcp.io/key` label.
import { Api, ApiError, clusterOf, Informer, MAX_WATCHES, WatchBudget } from './api.js';
import { describeCondition, findCondition } from './format.js';

const ST = '/apis/workload.kcp.io/v1alpha1/synctargets';
const WS = '/apis/tenancy.kcp.io/v1alpha1/workspaces';
const PL = '/apis/scheduling.kcp.io/v1alpha1/placements';
const NS = '/api/v1/namespaces';
/** The namespace label prefix that places it on a SyncTarget, and the target's key label. */
export const STATE_LABEL_PREFIX = 'state.workload.kcp.io/';
export const TARGET_KEY_LABEL = 'internal.workload.kcp.io/key';
/** A namespace leaving a target carries this annotation for its key until the syncer has cleaned up. */
export const DELETION_ANNOTATION_PREFIX = 'deletion.internal.workload.kcp.io/';
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

/** @param {{ targets?: Informer, children?: Informer, placements?: Informer, namespaces?: Informer }} e */
function stopEntry(e) {
  for (const i of [e.targets, e.children, e.placements, e.namespaces]) i?.stop();
}

/**
 * @typedef {{ cluster: string, placements: Access, namespaces: Access,
 *             items: { name: string, phase: string, location: string }[],
 *             placed: { namespace: string, target: string, targetCluster: string }[] }} PlacementView
 */

/**
 * Groups Placements and placed namespaces by workspace and resolves each namespace's state
 * label to a visible SyncTarget (by its key label); a key of a target the user cannot see is
 * shown as the key itself. Pure, so it is tested without a browser.
 * @param {[string, { items: Map<string, Obj>, state: import('./api.js').InformerState, cluster: string } | undefined,
 *          { items: Map<string, Obj>, state: import('./api.js').InformerState, cluster: string } | undefined][]} sources
 *        per workspace ('' for the wildcard): its placements and namespaces informers
 * @param {{ cluster: string, obj: Obj }[]} targets
 * @returns {PlacementView[]}
 */
export function placementViews(sources, targets) {
  /** @type {Map<string, { cluster: string, name: string }>} */
  const byKey = new Map();
  for (const t of targets) {
    const k = t.obj.metadata.labels?.[TARGET_KEY_LABEL];
    if (k) byKey.set(k, { cluster: t.cluster, name: t.obj.metadata.name });
  }
  /** @type {Map<string, PlacementView>} */
  const out = new Map();
  /** @param {string} c @param {Access} pa @param {Access} na */
  const view = (c, pa, na) => {
    let v = out.get(c);
    if (!v) out.set(c, v = { cluster: c, placements: pa, namespaces: na, items: [], placed: [] });
    return v;
  };
  for (const [path, pl, ns] of sources) {
    const pa = accessOf(pl?.state ?? 'starting');
    const na = accessOf(ns?.state ?? 'starting');
    if (path) view(path, pa, na);
    for (const o of pl?.items.values() ?? []) {
      const loc = o.status?.selectedLocation;
      view(clusterOf(o) || path, pa, na).items.push({ name: o.metadata.name, phase: o.status?.phase ?? '', location: loc ? `${loc.path}/${loc.locationName}` : '' });
    }
    for (const o of ns?.items.values() ?? []) {
      for (const [label, value] of Object.entries(o.metadata.labels ?? {})) {
        if (!label.startsWith(STATE_LABEL_PREFIX) || value !== 'Sync') continue;
        const key = label.slice(STATE_LABEL_PREFIX.length);
        // Leaving that target (rescheduled, unscheduled): its syncer is cleaning up; it is not placed there.
        if (o.metadata.annotations?.[DELETION_ANNOTATION_PREFIX + key] !== undefined) continue;
        const t = byKey.get(key);
        view(clusterOf(o) || path, pa, na).placed.push({ namespace: o.metadata.name, target: t?.name ?? `key ${key}`, targetCluster: t?.cluster ?? '' });
      }
    }
  }
  for (const v of out.values()) {
    v.items.sort((a, b) => a.name.localeCompare(b.name));
    v.placed.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.target.localeCompare(b.target));
  }
  return [...out.values()].sort((a, b) => a.cluster.localeCompare(b.cluster));
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
    /** @type {Map<string, { targets?: Informer, children?: Informer, placements?: Informer, namespaces?: Informer }>} per workspace path (workspace mode) */
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
    for (const w of this.perWorkspace.values()) stopEntry(w);
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
    // Order matters: the first informers take the watch slots, later ones poll.
    this.wildcard = [mk(`/clusters/*${ST}`), mk(`/clusters/*${WS}`), mk(`/clusters/*${PL}`), mk(`/clusters/*${NS}`)];
    for (const i of this.wildcard) i.start();
  }

  /** Start watching one workspace path the user may reach (workspace mode). @param {string} path */
  visit(path) {
    if (this.perWorkspace.has(path) || this.stopped) return;
    if (this.perWorkspace.size >= MAX_WORKSPACES) { this.truncated = true; return; }
    /** @type {WorkspaceInfo} */
    const info = { path, phase: '', targets: 'checking', children: 'checking', detail: '' };
    this.workspaces.set(path, info);
    /** @type {{ targets?: Informer, children?: Informer, placements?: Informer, namespaces?: Informer }} */
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
    const mk = (/** @type {string} */ resource) => new Informer({
      api: this.api, path: `${base}${resource}`, cluster: path, budget: this.budget,
      onChange: () => this.onUpdate(), onState: (s, d) => this.informerState(s, d),
    }).start();
    entry.placements = mk(PL);
    entry.namespaces = mk(NS);
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
      if (e) stopEntry(e);
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
    const all = this.mode === 'operator' ? this.wildcard : [...this.perWorkspace.values()].flatMap((e) => [e.targets, e.children, e.placements, e.namespaces]);
    let live = 0;
    let polling = 0;
    for (const i of all) {
      if (i?.state === 'live') live++;
      else if (i?.state === 'polling') polling++;
    }
    return { live, polling };
  }

  /**
   * What is placed where, per workspace: its Placements, its placed namespaces with the
   * SyncTarget each runs on, and whether the user may read them (`ok`, `forbidden`, …).
   * @returns {PlacementView[]}
   */
  placements() {
    /** @type {[string, Informer | undefined, Informer | undefined][]} */
    const sources = this.mode === 'operator'
      ? [['', this.wildcard[2], this.wildcard[3]]]
      : [...this.perWorkspace].map(([p, e]) => [p, e.placements, e.namespaces]);
    return placementViews(sources, this.targets());
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
