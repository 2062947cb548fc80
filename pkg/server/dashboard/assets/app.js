// @ts-check
// The dashboard's entry point: the token form, the session (sessionStorage: this tab only,
// gone when it closes), and the redraw loop (on every informer change, plus a one-second
// tick for heartbeat ages).
import { Fleet } from './fleet.js';
import { parseStartPaths } from './format.js';
import { renderEvents, renderPlacements, renderTargets, renderWorkspaces, tickAges } from './view.js';

const TOKEN_KEY = 'kplane.dashboard.token';
const START_KEY = 'kplane.dashboard.start';

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @type {Fleet | undefined} */
let fleet;
let redrawQueued = false;

function redraw() {
  redrawQueued = false;
  if (!fleet) return;
  renderTargets(/** @type {HTMLTableSectionElement} */ ($('targets').querySelector('tbody')), fleet, (cluster, name) => {
    fleet?.select(cluster, name);
    // Draw now: the section must be visible before it can take the focus.
    redraw();
    $('events-title').focus();
  });
  renderWorkspaces($('workspaces'), fleet);
  renderEvents($('events'), fleet);
  renderPlacements($('placements-body'), fleet);
  const { live, polling } = fleet.streams();
  const mode = fleet.mode === 'operator' ? 'all workspaces (operator view)' : fleet.mode === 'workspaces' ? 'the workspaces this token may reach' : 'checking what this token may see…';
  if (fleet.mode === 'operator') $('session-text').textContent = 'Operator token: every workspace.';
  $('streams').textContent = `Showing ${mode}. ${live} live stream(s)${polling ? `, ${polling} refreshed by polling` : ''}.`;
}

/** Many watch events arrive together; draw once per frame. */
function scheduleRedraw() {
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(redraw);
}

/** @param {string} token @param {string[]} startPaths */
function show(token, startPaths) {
  fleet?.stop();
  $('login').hidden = true;
  $('fleet').hidden = false;
  $('session').hidden = false;
  $('session-text').textContent = `Starting from ${startPaths.join(', ')}.`;
  fleet = new Fleet({
    token,
    startPaths,
    onUpdate: scheduleRedraw,
    onAnnounce: (text) => { $('announce').textContent = text; },
    onUnauthorized: (message) => signOut(`The token was not accepted (${message}). Paste a valid one.`),
  });
  fleet.start().catch((err) => signOut(`Could not start: ${err instanceof Error ? err.message : String(err)}`));
  scheduleRedraw();
}

/** @param {string} [message] */
function signOut(message = '') {
  fleet?.stop();
  fleet = undefined;
  sessionStorage.removeItem(TOKEN_KEY);
  $('fleet').hidden = true;
  $('session').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('token').focus();
}

function main() {
  $('events-title').tabIndex = -1;
  const form = /** @type {HTMLFormElement} */ ($('login-form'));
  const tokenInput = /** @type {HTMLInputElement} */ ($('token'));
  const startInput = /** @type {HTMLInputElement} */ ($('start'));
  startInput.value = sessionStorage.getItem(START_KEY) ?? startInput.value;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const token = tokenInput.value.trim();
    const paths = parseStartPaths(startInput.value);
    if (!token) return void ($('login-error').textContent = 'Paste a bearer token first.');
    if (!paths.length) return void ($('login-error').textContent = 'Give at least one workspace path such as root or root:team-a.');
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(START_KEY, paths.join(' '));
    tokenInput.value = '';
    $('login-error').textContent = '';
    show(token, paths);
  });
  $('sign-out').addEventListener('click', () => signOut());
  $('events-close').addEventListener('click', () => {
    // Back to the button that opened the Events, so keyboard users keep their place.
    const sel = fleet?.selected;
    fleet?.unselect();
    if (sel) /** @type {HTMLElement | null} */ ($('targets').querySelector(`tr[data-target="${CSS.escape(`${sel.cluster}/${sel.name}`)}"] button`))?.focus();
  });
  setInterval(() => tickAges($('targets'), fleet?.api.clockOffsetMs ?? 0), 1000);
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) show(saved, parseStartPaths(sessionStorage.getItem(START_KEY) ?? 'root'));
}

main();
