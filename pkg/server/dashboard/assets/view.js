// @ts-check
// Drawing the fleet into the page. Rows are kept per SyncTarget and updated in place, so a
// keyboard user's focus (on a row's button) survives live updates; the workspace tree and
// the Events table hold no focusable elements and are simply redrawn.
import { buildTree } from './fleet.js';
import { describeCondition, findCondition, formatAge, formatCells, formatResources } from './format.js';

/** The condition columns, in table order. */
const CONDITIONS = ['Ready', 'HeartbeatHealthy', 'SyncerDeployed'];

/**
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {string} [text]
 */
function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** @param {import('./fleet.js').Access} a @param {string} what */
function accessText(a, what) {
  if (a === 'ok') return '';
  if (a === 'forbidden') return `no access to ${what}`;
  if (a === 'checking') return `checking ${what}…`;
  return `${what} unavailable`;
}

/**
 * The workspace tree: one nested list item per workspace with its phase, its number of
 * SyncTargets and what the user may not see there.
 * @param {HTMLElement} root @param {import('./fleet.js').Fleet} fleet
 */
export function renderWorkspaces(root, fleet) {
  const infos = fleet.workspaceInfos();
  const counts = new Map();
  for (const t of fleet.targets()) counts.set(t.cluster, (counts.get(t.cluster) ?? 0) + 1);
  /** @param {{ path: string, name: string, children: any[] }[]} nodes */
  const list = (nodes) => {
    const ul = el('ul');
    for (const n of nodes) {
      const info = infos.get(n.path);
      const li = el('li', { 'data-workspace': n.path });
      li.append(el('span', { class: 'ws-name' }, n.path));
      const notes = [];
      if (info?.phase) notes.push(info.phase);
      if (info && info.targets === 'forbidden' && info.children === 'forbidden') notes.push('no access');
      else if (info) {
        const t = accessText(info.targets, 'SyncTargets');
        const c = accessText(info.children, 'child workspaces');
        if (t) notes.push(t);
        if (c) notes.push(c);
        if (info.targets === 'ok') notes.push(`${counts.get(n.path) ?? 0} SyncTarget(s)`);
      }
      const note = el('span', { class: 'ws-note', 'data-access': info && info.targets === 'forbidden' && info.children === 'forbidden' ? 'none' : 'some' }, notes.length ? ` — ${notes.join(', ')}` : '');
      li.append(note);
      if (n.children.length) li.append(list(n.children));
      ul.append(li);
    }
    return ul;
  };
  const tree = buildTree([...infos.keys()]);
  root.replaceChildren(tree.length ? list(tree) : el('p', {}, 'No workspace reachable with this token.'));
  if (fleet.truncated) root.append(el('p', { class: 'note' }, `Only the first workspaces are shown (the page follows at most a fixed number).`));
}

/**
 * The SyncTargets table, rows keyed by cluster/name and updated in place.
 * @param {HTMLTableSectionElement} tbody @param {import('./fleet.js').Fleet} fleet
 * @param {(cluster: string, name: string) => void} onSelect
 */
export function renderTargets(tbody, fleet, onSelect) {
  const targets = fleet.targets();
  /** @type {Map<string, HTMLTableRowElement>} */
  const rows = new Map();
  for (const tr of /** @type {NodeListOf<HTMLTableRowElement>} */ (tbody.querySelectorAll('tr[data-target]'))) rows.set(tr.dataset.target ?? '', tr);
  tbody.querySelector('tr.empty')?.remove();
  /** @type {HTMLTableRowElement[]} */
  const wanted = [];
  for (const t of targets) {
    const id = `${t.cluster}/${t.obj.metadata.name}`;
    let tr = rows.get(id);
    if (!tr) tr = newRow(id, t.cluster, t.obj.metadata.name, onSelect);
    rows.delete(id);
    updateRow(tr, t.obj);
    wanted.push(tr);
  }
  for (const stale of rows.values()) stale.remove();
  // Re-append only when the order differs: moving a row would drop the focus inside it.
  const current = [...tbody.querySelectorAll('tr[data-target]')];
  if (current.length !== wanted.length || current.some((r, i) => r !== wanted[i])) tbody.append(...wanted);
  tickAges(tbody, fleet.api.clockOffsetMs);
  if (!targets.length) {
    const tr = el('tr', { class: 'empty' });
    tr.append(el('td', { colspan: '10' }, 'No SyncTargets visible with this token.'));
    tbody.append(tr);
  }
}

/** @param {string} id @param {string} cluster @param {string} name @param {(cluster: string, name: string) => void} onSelect */
function newRow(id, cluster, name, onSelect) {
  const tr = /** @type {HTMLTableRowElement} */ (el('tr', { 'data-target': id }));
  tr.append(el('td', { 'data-col': 'workspace' }, cluster));
  tr.append(el('th', { scope: 'row', 'data-col': 'name' }, name));
  for (const c of CONDITIONS) tr.append(el('td', { 'data-condition': c }));
  tr.append(el('td', { 'data-col': 'phase' }));
  const hb = el('td', { 'data-col': 'heartbeat' });
  hb.append(el('time', { class: 'hb' }));
  tr.append(hb);
  tr.append(el('td', { 'data-col': 'capacity' }));
  tr.append(el('td', { 'data-col': 'cells' }));
  const actions = el('td');
  const button = el('button', { type: 'button', 'aria-label': `Show events of ${name} in ${cluster}` }, 'Events');
  button.addEventListener('click', () => onSelect(cluster, name));
  actions.append(button);
  tr.append(actions);
  return tr;
}

/** @param {HTMLTableRowElement} tr @param {any} obj */
function updateRow(tr, obj) {
  for (const type of CONDITIONS) {
    const td = /** @type {HTMLElement} */ (tr.querySelector(`td[data-condition="${type}"]`));
    const d = describeCondition(findCondition(obj, type), type);
    td.textContent = d.text;
    td.dataset.status = d.state;
    td.title = d.title;
  }
  set(tr, 'phase', obj.status?.phase ?? '—');
  const time = /** @type {HTMLTimeElement} */ (tr.querySelector('time.hb'));
  const beat = obj.status?.lastSyncerHeartbeatTime;
  if (beat) time.dateTime = beat;
  else time.removeAttribute('datetime');
  set(tr, 'capacity', formatResources(obj.status?.capacity ?? obj.spec?.capacity));
  set(tr, 'cells', formatCells(obj.spec?.cells));
}

/** @param {HTMLElement} tr @param {string} col @param {string} text */
function set(tr, col, text) {
  const td = /** @type {HTMLElement} */ (tr.querySelector(`[data-col="${col}"]`));
  if (td.textContent !== text) td.textContent = text;
}

/**
 * Rewrites every heartbeat age under `root` from its datetime; runs every second.
 * @param {ParentNode} root @param {number} [clockOffsetMs] server clock minus browser clock
 */
export function tickAges(root, clockOffsetMs = 0) {
  const now = Date.now() + clockOffsetMs;
  for (const t of /** @type {NodeListOf<HTMLTimeElement>} */ (root.querySelectorAll('time.hb'))) {
    const text = t.dateTime ? `${formatAge(now - Date.parse(t.dateTime))} ago` : 'never';
    if (t.textContent !== text) t.textContent = text;
  }
}

/**
 * The selected target's Events, newest first.
 * @param {HTMLElement} section @param {import('./fleet.js').Fleet} fleet
 */
export function renderEvents(section, fleet) {
  const sel = fleet.selected;
  section.hidden = !sel;
  if (!sel) return;
  /** @type {HTMLElement} */ (section.querySelector('#events-title')).textContent = `Events of ${sel.name} in ${sel.cluster}`;
  const state = sel.informer.state;
  /** @type {HTMLElement} */ (section.querySelector('#events-state')).textContent =
    state === 'forbidden' ? 'No access to Events in this workspace.' : state === 'error' ? 'Events are unavailable right now; retrying.' : state === 'starting' ? 'Loading…' : '';
  const tbody = /** @type {HTMLElement} */ (section.querySelector('tbody'));
  const rows = fleet.events().map((/** @type {any} */ e) => {
    const tr = el('tr');
    tr.append(el('td', {}, e.lastTimestamp ?? e.eventTime ?? ''));
    tr.append(el('td', {}, e.type ?? ''));
    tr.append(el('td', {}, e.reason ?? ''));
    tr.append(el('td', {}, e.message ?? ''));
    tr.append(el('td', {}, String(e.count ?? 1)));
    return tr;
  });
  if (!rows.length && state !== 'forbidden') {
    const tr = el('tr');
    tr.append(el('td', { colspan: '5' }, 'No Events recorded for this SyncTarget.'));
    rows.push(tr);
  }
  tbody.replaceChildren(...rows);
}

/**
 * What is placed where: the Placements (name, phase, selected location) and the placed
 * namespaces with their SyncTarget, per workspace; a workspace whose Placements or
 * Namespaces the user may not read says so in words. Holds nothing focusable: redrawn whole.
 * @param {HTMLElement} root @param {import('./fleet.js').Fleet} fleet
 */
export function renderPlacements(root, fleet) {
  const views = fleet.placements();
  /** @param {string} caption @param {string[]} heads @param {string[][]} rows @param {string} empty @param {string} id */
  const table = (caption, heads, rows, empty, id) => {
    const t = el('table', { id });
    t.append(el('caption', {}, caption));
    const hr = el('tr');
    for (const h of heads) hr.append(el('th', { scope: 'col' }, h));
    const head = el('thead');
    head.append(hr);
    t.append(head);
    const body = el('tbody');
    for (const r of rows) {
      const tr = el('tr');
      r.forEach((c, i) => tr.append(el(i === 1 ? 'th' : 'td', i === 1 ? { scope: 'row' } : {}, c)));
      body.append(tr);
    }
    if (!rows.length) {
      const tr = el('tr');
      tr.append(el('td', { colspan: String(heads.length) }, empty));
      body.append(tr);
    }
    t.append(body);
    return t;
  };
  const notes = [];
  for (const v of views) {
    const p = accessText(v.placements, 'Placements');
    const n = accessText(v.namespaces, 'namespaces');
    if (v.placements === 'forbidden' && v.namespaces === 'forbidden') notes.push(`${v.cluster || 'all workspaces'}: no access`);
    else if (p || n) notes.push(`${v.cluster || 'all workspaces'}: ${[p, n].filter(Boolean).join(', ')}`);
  }
  root.replaceChildren(
    table('Placements, with their phase and the Location they selected.', ['Workspace', 'Placement', 'Phase', 'Selected location'],
      views.flatMap((v) => v.items.map((i) => [v.cluster, i.name, i.phase || '—', i.location || 'none yet'])), 'No Placements visible with this token.', 'placement-list'),
    table('Namespaces placed on a SyncTarget.', ['Workspace', 'Namespace', 'SyncTarget'],
      views.flatMap((v) => v.placed.map((x) => [v.cluster, x.namespace, x.targetCluster && x.targetCluster !== v.cluster ? `${x.target} in ${x.targetCluster}` : x.target])), 'No placed namespaces visible with this token.', 'placed-namespaces'),
  );
  if (notes.length) {
    const ul = el('ul', { class: 'note' });
    for (const n of notes) ul.append(el('li', {}, n));
    root.append(ul);
  }
}
