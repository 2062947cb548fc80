// Package compaction keeps a bounded window of storage history, as kube-apiserver's
// compactor does for etcd: on every tick it notes the current revision with the time,
// and compacts to the newest revision noted at least `retainSeconds` ago. A watcher or a
// paged list younger than the window therefore never sees Expired.
import cron, { type ScheduledTask } from 'node-cron';
import type { Storage } from '../interface.ts';

/** What a compactor needs from storage. */
export type CompactableStorage = Pick<Storage, 'currentRevision' | 'compactedRevision' | 'compact'>;

/** winston-compatible subset. */
export interface CompactorLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface RevisionCompactorOptions {
  /** Minimum history kept, in seconds. Defaults to 300 (kube's 5 minutes). */
  retainSeconds?: number;
  logger?: CompactorLogger;
  now?: () => number;
}

export interface CompactorOptions extends RevisionCompactorOptions {
  /** node-cron expression. Defaults to every minute ('* * * * *'). */
  schedule?: string;
}

export const DEFAULT_RETAIN_SECONDS = 300;
export const DEFAULT_SCHEDULE = '* * * * *';

interface Sample {
  at: number;
  revision: number;
}

/** The compaction decision, separate from scheduling so it can be driven by a test clock. */
export class RevisionCompactor {
  readonly #storage: CompactableStorage;
  readonly #retainMs: number;
  readonly #now: () => number;
  readonly #logger: CompactorLogger | undefined;
  #samples: Sample[] = [];

  constructor(storage: CompactableStorage, opts: RevisionCompactorOptions = {}) {
    this.#storage = storage;
    this.#retainMs = (opts.retainSeconds ?? DEFAULT_RETAIN_SECONDS) * 1000;
    this.#now = opts.now ?? Date.now;
    this.#logger = opts.logger;
  }

  /** Note the current revision and compact what fell out of the window. Returns the revision compacted to, if any. */
  async tick(): Promise<number | undefined> {
    const now = this.#now();
    this.#samples.push({ at: now, revision: await this.#storage.currentRevision() });
    const cutoff = now - this.#retainMs;
    let oldEnough = -1;
    for (let i = 0; i < this.#samples.length; i++) if ((this.#samples[i]?.at ?? Infinity) <= cutoff) oldEnough = i;
    const target = this.#samples[oldEnough];
    if (!target) return undefined;
    // Older samples can never be chosen again: the chosen one is newer and also old enough.
    this.#samples = this.#samples.slice(oldEnough);
    if (target.revision <= (await this.#storage.compactedRevision())) return undefined;
    const started = this.#now();
    await this.#storage.compact(target.revision);
    this.#logger?.info('storage compacted', { revision: target.revision, durationMs: this.#now() - started });
    return target.revision;
  }
}

/**
 * Compact `storage` on a node-cron schedule (default every minute, keeping at least
 * retainSeconds of history, default 300). Returns a function that stops the schedule and
 * waits for a running compaction.
 */
export function startCompactor(storage: CompactableStorage, opts: CompactorOptions = {}): () => Promise<void> {
  const compactor = new RevisionCompactor(storage, opts);
  let running: Promise<unknown> = Promise.resolve();
  const task: ScheduledTask = cron.schedule(
    opts.schedule ?? DEFAULT_SCHEDULE,
    () => {
      running = compactor.tick().catch((err: unknown) => {
        opts.logger?.error('storage compaction failed', { error: String(err) });
      });
      return running;
    },
    { name: 'storage-compaction', noOverlap: true },
  );
  let stopped: Promise<void> | undefined;
  return () => {
    stopped ??= (async () => {
      await task.stop();
      await task.destroy();
      await running;
    })();
    return stopped;
  };
}
