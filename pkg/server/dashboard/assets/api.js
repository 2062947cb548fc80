// @ts-check
// Talking to kplane's API from the browser with the user's own bearer token: lists, and
// informers (list, then watch from the list's resourceVersion; re-list on 410 Gone; reconnect
// with backoff when a stream breaks). Nothing here has a privilege of its own: every request
// carries the token the user pasted, so RBAC decides what comes back.
import { readJSONLines } from './jsonlines.js';

/** Browsers open at most 6 HTTP/1.1 connections per origin; a watch holds one for its life. */
export const MAX_WATCHES = 4;
/** How often an informer without a watch slot re-lists instead (ms). */
export const POLL_MS = 15_000;
/** How long a "no access" answer stands before it is asked again (RBAC may change) (ms). */
export const FORBIDDEN_RECHECK_MS = 60_000;
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/** An API answer that was not a success; `status` is the HTTP code (0: no answer at all). */
export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @param {number} ms @param {AbortSignal} signal */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(undefined);
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(undefined); }, { once: true });
  });
}

/** @param {Response} res */
async function errorOf(res) {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = await res.json();
    if (body && typeof body.message === 'string') message = body.message;
  } catch {
    // Not a Status body (a proxy's page, say): the status line says enough.
  }
  return new ApiError(res.status, message);
}

export class Api {
  /** @param {string} token */
  constructor(token) {
    this.token = token;
    /**
     * Server clock minus browser clock (ms), from the Date header of the last answer, so that
     * heartbeat ages (server timestamps) are right even when this computer's clock is off.
     * Date has whole seconds, which is the precision of the heartbeat times too.
     */
    this.clockOffsetMs = 0;
  }

  /** @param {string} path @param {AbortSignal} [signal] */
  async fetch(path, signal) {
    let res;
    try {
      res = await fetch(path, { headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' }, signal, cache: 'no-store' });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(0, `cannot reach kplane: ${err instanceof Error ? err.message : String(err)}`);
    }
    const date = Date.parse(res.headers.get('Date') ?? '');
    if (Number.isFinite(date)) this.clockOffsetMs = date - Date.now();
    return res;
  }

  /** GET a JSON object; a non-2xx answer is an ApiError carrying its code. @param {string} path @param {AbortSignal} [signal] */
  async get(path, signal) {
    const res = await this.fetch(path, signal);
    if (!res.ok) throw await errorOf(res);
    return res.json();
  }
}

/** Counts watch connections so that the page never starves itself of connections. */
export class WatchBudget {
  /** @param {number} max */
  constructor(max) {
    this.max = max;
    this.used = 0;
  }

  tryAcquire() {
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }

  release() {
    this.used = Math.max(0, this.used - 1);
  }
}

/**
 * @typedef {{ metadata: { name: string, namespace?: string, resourceVersion?: string, annotations?: Record<string, string>, labels?: Record<string, string> } }} KubeObject
 * @typedef {'starting' | 'live' | 'polling' | 'forbidden' | 'unauthorized' | 'error'} InformerState
 */

/** The logical cluster of an object (kplane annotates every object with it). @param {KubeObject} o */
export function clusterOf(o) {
  return o.metadata.annotations?.['kcp.io/cluster'] ?? '';
}

/**
 * A list+watch of one collection path (`/clusters/<path>/apis/...` or the wildcard).
 * `items` is the current set, keyed cluster/namespace/name; onChange runs after every change,
 * onState when the informer's state changes (live, polling, no access, error).
 */
export class Informer {
  /**
   * @param {{ api: Api, path: string, query?: Record<string, string>, cluster?: string, budget: WatchBudget,
   *           onChange: () => void, onState: (state: InformerState, detail: string) => void }} o
   */
  constructor(o) {
    this.api = o.api;
    this.path = o.path;
    this.query = o.query ?? {};
    this.cluster = o.cluster ?? '';
    this.budget = o.budget;
    this.onChange = o.onChange;
    this.onState = o.onState;
    /** @type {Map<string, KubeObject>} */
    this.items = new Map();
    /** @type {InformerState} */
    this.state = 'starting';
    this.controller = new AbortController();
  }

  start() {
    this.run().catch((err) => {
      if (!this.controller.signal.aborted) this.setState('error', err instanceof Error ? err.message : String(err));
    });
    return this;
  }

  stop() {
    this.controller.abort();
  }

  /** @param {KubeObject} o */
  key(o) {
    return `${clusterOf(o) || this.cluster}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  }

  /** @param {InformerState} state @param {string} detail */
  setState(state, detail = '') {
    this.state = state;
    this.onState(state, detail);
  }

  /** @param {Record<string, string>} extra */
  url(extra) {
    const q = new URLSearchParams({ ...this.query, ...extra });
    return `${this.path}?${q}`;
  }

  async run() {
    const signal = this.controller.signal;
    let backoff = BACKOFF_MIN_MS;
    // Separate from the list's backoff, which a successful list resets.
    let refusedWatchBackoff = BACKOFF_MIN_MS;
    while (!signal.aborted) {
      let rv;
      try {
        rv = await this.list(signal);
        backoff = BACKOFF_MIN_MS;
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof ApiError)) throw err;
        // Refused: what was shown may no longer be the user's to see.
        if ((err.status === 401 || err.status === 403) && this.items.size) {
          this.items = new Map();
          this.onChange();
        }
        if (err.status === 401) return this.setState('unauthorized', err.message);
        if (err.status === 403) {
          this.setState('forbidden', err.message);
          await sleep(FORBIDDEN_RECHECK_MS, signal);
          continue;
        }
        this.setState('error', err.message);
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
        continue;
      }
      if (!this.budget.tryAcquire()) {
        this.setState('polling', `re-listed every ${POLL_MS / 1000}s: the browser's connections are all watching`);
        await sleep(POLL_MS, signal);
        continue;
      }
      let outcome;
      try {
        outcome = await this.watchFrom(rv, signal);
      } finally {
        this.budget.release();
      }
      if (outcome === 'failed') {
        // A watch the server keeps refusing must not turn into a tight list/watch loop.
        this.setState('error', 'the watch was refused; listing again shortly');
        await sleep(refusedWatchBackoff, signal);
        refusedWatchBackoff = Math.min(refusedWatchBackoff * 2, BACKOFF_MAX_MS);
      } else {
        refusedWatchBackoff = BACKOFF_MIN_MS;
      }
    }
  }

  /** Replace the items with a fresh list; returns its resourceVersion. @param {AbortSignal} signal */
  async list(signal) {
    const list = await this.api.get(this.url({}), signal);
    this.items = new Map();
    for (const o of list.items ?? []) this.items.set(this.key(o), o);
    this.onChange();
    return String(list.metadata?.resourceVersion ?? '');
  }

  /**
   * Watch from rv, reconnecting from the last seen resourceVersion when a stream ends or
   * breaks. Returns when the informer must re-list: 'gone' (410: rv was compacted away; list
   * at once) or 'failed' (any other refusal; list after a backoff), or 'stopped'.
   * @param {string} rv @param {AbortSignal} signal
   * @returns {Promise<'gone' | 'failed' | 'stopped'>}
   */
  async watchFrom(rv, signal) {
    let backoff = BACKOFF_MIN_MS;
    while (!signal.aborted) {
      // Like client-go: a random server-side timeout so streams cycle and spread out.
      const timeoutSeconds = String(300 + Math.floor(Math.random() * 300));
      let res;
      try {
        res = await this.api.fetch(this.url({ watch: '1', resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds }), signal);
      } catch (err) {
        if (signal.aborted) return 'stopped';
        this.setState('error', err instanceof Error ? err.message : String(err));
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
        continue;
      }
      if (!res.ok || !res.body) {
        void res.body?.cancel();
        // 410: too old. 401, 403, 5xx, …: the list that follows says what the user may see.
        return res.status === 410 ? 'gone' : 'failed';
      }
      this.setState('live', '');
      backoff = BACKOFF_MIN_MS;
      try {
        for await (const ev of readJSONLines(res.body)) {
          const e = /** @type {{ type: string, object: any }} */ (ev);
          if (e.type === 'ERROR') {
            // 410 Gone: our resourceVersion was compacted away; anything else: start over too.
            return e.object?.code === 410 ? 'gone' : 'failed';
          }
          const o = /** @type {KubeObject} */ (e.object);
          if (o?.metadata?.resourceVersion) rv = o.metadata.resourceVersion;
          if (e.type === 'BOOKMARK') continue;
          if (e.type === 'DELETED') this.items.delete(this.key(o));
          else this.items.set(this.key(o), o);
          this.onChange();
        }
      } catch (err) {
        if (signal.aborted) return 'stopped';
        this.setState('error', `watch interrupted: ${err instanceof Error ? err.message : String(err)}; reconnecting`);
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      }
    }
    return 'stopped';
  }
}
