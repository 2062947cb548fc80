// @ts-check
// Pure formatting for the dashboard: ages, conditions, quantities, cells. No DOM here, so
// the unit tests run it under Node.

/**
 * "45s", "3m 05s", "2h 04m", "3d 02h": two units at most, like kubectl's ages.
 * @param {number} ms
 */
export function formatAge(ms) {
  if (!Number.isFinite(ms)) return 'unknown';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${pad(Math.floor((s % 86400) / 3600))}h`;
}

/**
 * @typedef {{ type: string, status: string, reason?: string, message?: string, lastTransitionTime?: string }} Condition
 */

/**
 * The condition of a type, or undefined.
 * @param {{ status?: { conditions?: Condition[] } }} obj
 * @param {string} type
 * @returns {Condition | undefined}
 */
export function findCondition(obj, type) {
  return obj.status?.conditions?.find((c) => c.type === type);
}

/** Words for each condition type, so status is text and never colour alone. */
const WORDS = /** @type {Record<string, [string, string]>} */ ({
  Ready: ['Ready', 'Not ready'],
  HeartbeatHealthy: ['Healthy', 'Unhealthy'],
  SyncerDeployed: ['Deployed', 'Not deployed'],
});

/**
 * What a condition cell says: "Ready", "Not ready (ErrorHeartbeat)", "Unknown (reason)",
 * or "Not reported" when the condition is absent; `state` drives the styling and the tests.
 * @param {Condition | undefined} c
 * @param {string} type
 * @returns {{ text: string, state: 'true' | 'false' | 'unknown' | 'absent', title: string }}
 */
export function describeCondition(c, type) {
  if (!c) return { text: 'Not reported', state: 'absent', title: `${type} has not been reported` };
  const [yes, no] = WORDS[type] ?? [type, `Not ${type}`];
  const reason = c.reason ? ` (${c.reason})` : '';
  const title = c.message ?? '';
  if (c.status === 'True') return { text: yes, state: 'true', title };
  if (c.status === 'False') return { text: `${no}${reason}`, state: 'false', title };
  return { text: `Unknown${reason}`, state: 'unknown', title };
}

/**
 * "cpu 8, memory 32Gi", sorted by name; "—" for none.
 * @param {Record<string, string> | undefined} list
 */
export function formatResources(list) {
  const entries = Object.entries(list ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : '—';
}

/**
 * "region=eu, zone=a"; "—" for none.
 * @param {Record<string, string> | undefined} cells
 */
export function formatCells(cells) {
  const entries = Object.entries(cells ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : '—';
}

/**
 * The workspace paths a user typed: split on commas and whitespace, invalid ones dropped,
 * duplicates removed, order kept. A path is `root` or `root:a:b` (lower-case DNS labels).
 * @param {string} text
 * @returns {string[]}
 */
export function parseStartPaths(text) {
  const valid = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
  /** @type {string[]} */
  const out = [];
  for (const p of text.split(/[\s,]+/)) {
    if (p && valid.test(p) && !out.includes(p)) out.push(p);
  }
  return out;
}
