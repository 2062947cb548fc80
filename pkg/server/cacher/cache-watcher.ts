// CacheWatcher: one watch served from a ResourceCacher. The cacher pushes events into it
// synchronously (replay first, then live), so order, no gaps and no duplicates follow from
// the cacher's single dispatch loop; this class only queues and hands them to the reader.
import { StorageError } from '../../storage/errors.ts';
import type { WatchEvent, Watcher } from '../../storage/interface.ts';

export interface CacheWatcherOptions {
  /** Which keys this watch covers (a prefix ending in '/', or one key). */
  prefix: string;
  /** Only events with a larger revision are delivered. */
  fromRevision: number;
  progressNotify: boolean;
  /** Queued events before the watch is ended as too slow (Expired, the client re-lists). */
  maxQueue: number;
  /** Queued bytes (events' encoded sizes) before the watch is ended as too slow. */
  maxQueueBytes?: number;
  onClose: (w: CacheWatcher) => void;
}

export class CacheWatcher implements Watcher {
  readonly prefix: string;
  readonly progressNotify: boolean;
  private readonly maxQueue: number;
  private readonly maxQueueBytes: number;
  private queueBytes = 0;
  private readonly onClose: (w: CacheWatcher) => void;
  private queue: WatchEvent[] = [];
  /** When we last queued anything (ms), to pace the cacher's own bookmarks. */
  lastSentAt = Date.now();
  private lastRevision: number;
  private wake: (() => void) | undefined;
  private ended = false;
  private closed = false;
  private failure: unknown;

  constructor(opts: CacheWatcherOptions) {
    this.prefix = opts.prefix;
    this.progressNotify = opts.progressNotify;
    this.maxQueue = opts.maxQueue;
    this.maxQueueBytes = opts.maxQueueBytes ?? Number.POSITIVE_INFINITY;
    this.onClose = opts.onClose;
    this.lastRevision = opts.fromRevision;
  }

  covers(key: string): boolean {
    return this.prefix.endsWith('/') ? key.startsWith(this.prefix) : key === this.prefix;
  }

  /** Deliver a change if it is for us and newer than what we delivered. */
  offer(ev: WatchEvent): void {
    if (this.ended || ev.revision <= this.lastRevision || !this.covers(ev.key)) return;
    this.enqueue(ev);
  }

  /**
   * The backend's BOOKMARK: everything up to its revision has been offered. Passed on to a
   * reader that asked for progress, unless it would move backwards.
   */
  bookmark(ev: WatchEvent): void {
    if (this.ended || !this.progressNotify || ev.revision < this.lastRevision) return;
    this.enqueue(ev);
  }

  /** A bookmark from the cache's own revision, if this reader wants one and has been idle. */
  idleBookmark(revision: number, idleMs: number, now: number): void {
    if (this.ended || !this.progressNotify || revision < this.lastRevision || now - this.lastSentAt < idleMs) return;
    this.enqueue({ type: 'BOOKMARK', key: '', object: { metadata: { resourceVersion: String(revision) } }, revision });
  }

  private enqueue(ev: WatchEvent): void {
    // A reader that falls this far behind pins events the ring already let go: end it.
    const size = ev.size ?? 0;
    if (this.queue.length >= this.maxQueue || (this.queue.length > 0 && this.queueBytes + size > this.maxQueueBytes)) {
      const what = this.queue.length >= this.maxQueue ? `${this.maxQueue} events` : `${this.maxQueueBytes} bytes`;
      this.end(new StorageError('Expired', this.prefix, `watch too slow: more than ${what} queued; re-list and watch again`));
      return;
    }
    this.queue.push(ev);
    this.queueBytes += size;
    this.lastRevision = ev.revision;
    this.lastSentAt = Date.now();
    this.notify();
  }

  /** End the stream after what is queued; with an error the reader throws it last. */
  end(err?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = err;
    this.onClose(this);
    this.notify();
  }

  /** Bytes of the events waiting for the reader (tests, metrics). */
  get queuedBytes(): number {
    return this.queueBytes;
  }

  close(): void {
    this.closed = true;
    this.queue = [];
    this.queueBytes = 0;
    this.end();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    for (;;) {
      if (this.closed) return;
      const next = this.queue.shift();
      if (next) {
        this.queueBytes -= next.size ?? 0;
        yield next;
        continue;
      }
      if (this.ended) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
