// Routes committed changes to watchers. Watchers are indexed by their prefix, and a change
// is offered only to the prefixes that can contain its key (each '/'-terminated ancestor
// and the key itself), so the cost per change does not grow with the number of watchers.
import type { Change, SqliteWatcher } from './watcher.ts';
import type { StorageError } from '../errors.ts';

export class WatchHub {
  readonly #byPrefix = new Map<string, Set<SqliteWatcher>>();
  #count = 0;

  get size(): number {
    return this.#count;
  }

  add(w: SqliteWatcher): void {
    let set = this.#byPrefix.get(w.prefix);
    if (!set) this.#byPrefix.set(w.prefix, (set = new Set()));
    if (!set.has(w)) this.#count++;
    set.add(w);
  }

  remove(w: SqliteWatcher): void {
    const set = this.#byPrefix.get(w.prefix);
    if (!set?.delete(w)) return;
    this.#count--;
    if (set.size === 0) this.#byPrefix.delete(w.prefix);
  }

  dispatch(change: Change): void {
    if (this.#count === 0) return;
    const key = change.key;
    for (let i = key.indexOf('/'); i !== -1; i = key.indexOf('/', i + 1)) {
      this.#offer(key.slice(0, i + 1), change);
    }
    if (!key.endsWith('/')) this.#offer(key, change);
  }

  offerBookmarks(revision: number, idleMs: number): void {
    for (const set of this.#byPrefix.values()) for (const w of set) w.offerBookmark(revision, idleMs);
  }

  failAll(err: StorageError): void {
    for (const set of [...this.#byPrefix.values()]) for (const w of [...set]) w.fail(err);
  }

  #offer(prefix: string, change: Change): void {
    const set = this.#byPrefix.get(prefix);
    if (set) for (const w of set) w.push(change);
  }
}
