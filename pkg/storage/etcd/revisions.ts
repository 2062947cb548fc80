// Revision bookkeeping against etcd: the current revision, whether a revision is still in
// history, the compacted revision, and compaction itself.
//
// etcd does not expose its compacted revision. We remember the newest one we compacted to
// and confirm it with one read at that revision; only when someone else compacted further
// (another kplane replica, etcd's --auto-compaction-*) do we binary-search the oldest
// readable revision, about log2(current - known) reads, which then becomes the known value.
import type { Etcd3 } from 'etcd3';
import { etcdCall, retryNeverSent } from './etcd-call.ts';
import { isCompactedError, toStorageError } from './etcd-errors.ts';
import type { KeySpace } from './key-space.ts';

export class Revisions {
  readonly #client: Etcd3;
  readonly #keys: KeySpace;
  /** The newest compaction we know of; history at and above it is readable. */
  #compacted = 0;
  #compacting: Promise<void> = Promise.resolve();

  constructor(client: Etcd3, keys: KeySpace) {
    this.#client = client;
    this.#keys = keys;
  }

  /** The compacted revision as far as this process knows without asking etcd. */
  get knownCompacted(): number {
    return this.#compacted;
  }

  /** etcd's current revision (a linearizable read of a never-written sentinel key). */
  async current(): Promise<number> {
    const res = await etcdCall('', 'read revision', () => this.#client.kv.range({ key: this.#keys.probeKey, count_only: true }));
    return Number(res.header.revision);
  }

  /** True while revision is still in history; false once it is compacted. Future revisions count as readable. */
  async readable(revision: number): Promise<boolean> {
    try {
      await retryNeverSent(() => this.#client.kv.range({ key: this.#keys.probeKey, revision: Math.max(revision, 1), count_only: true }));
      return true;
    } catch (err) {
      if (isCompactedError(err)) return false;
      const mapped = toStorageError(err, '', `read at revision ${revision}`);
      // A revision newer than the store is not compacted: watching from it is allowed.
      if (mapped.code === 'Unavailable' && /future revision/.test(mapped.message)) return true;
      throw mapped;
    }
  }

  /** The oldest revision still readable (0 when nothing was ever compacted). */
  async compacted(): Promise<number> {
    const known = this.#compacted;
    if (await this.readable(known)) return known;
    let lo = Math.max(known, 1); // compacted
    let hi = await this.current(); // the current revision is never compacted
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (await this.readable(mid)) hi = mid;
      else lo = mid;
    }
    this.#compacted = Math.max(this.#compacted, hi);
    return this.#compacted;
  }

  /** Compact etcd's history up to revision (clamped to the current one); one compaction at a time. */
  compact(revision: number): Promise<void> {
    const run = this.#compacting.then(() => this.#compact(revision));
    this.#compacting = run.catch(() => undefined);
    return run;
  }

  /** Resolves when no compaction is running. */
  idle(): Promise<void> {
    return this.#compacting;
  }

  async #compact(revision: number): Promise<void> {
    const target = Math.min(revision, await this.current());
    if (target <= this.#compacted) return;
    try {
      // physical=false: etcd raises its compact mark when the request is applied (reads and
      // watches below it fail from then on) and frees space in the background.
      await retryNeverSent(() => this.#client.kv.compact({ revision: target, physical: false }));
    } catch (err) {
      // Someone compacted at or past target already: the goal is met.
      if (isCompactedError(err)) {
        await this.compacted();
        return;
      }
      throw toStorageError(err, '', `compact to ${target}`);
    }
    this.#compacted = Math.max(this.#compacted, target);
  }
}
