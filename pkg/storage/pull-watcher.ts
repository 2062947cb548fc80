// The consumer side both backends' watchers share: the consumer pulls events one at a time
// (an async iterator), waits while nothing is queued, and sees the failure only after every
// queued event (queued events are gap-free, so they stay deliverable). A watch ends once, by
// fail() or close(); either way the backend's registry forgets it exactly once.
// How events get queued (etcd's stream, SQLite's history replay plus live changes) is the
// backend's own business: it supplies take(), dropQueued(), onEnd() and unregister().
import { StorageError } from './errors.ts';
import type { WatchEvent, Watcher } from './interface.ts';

export abstract class PullWatcher implements Watcher {
  abstract readonly prefix: string;
  #failure: StorageError | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;

  /** The next deliverable event, or undefined when none is queued now. */
  protected abstract take(): WatchEvent | undefined;
  /** close(): discard whatever is queued. */
  protected abstract dropQueued(): void;
  /** The backend's registry forgets this watch; called once per watch. */
  protected abstract unregister(): void;
  /** The watch ended with `reason` (Closed on close()): release backend resources. */
  protected onEnd(reason: StorageError): void {
    void reason;
  }

  /** Why the watch failed, once it has. */
  protected get failure(): StorageError | undefined {
    return this.#failure;
  }

  /** Closed or failed: nothing more may be queued. */
  protected get ended(): boolean {
    return this.#stopped || this.#failure !== undefined;
  }

  /** End the watch with an error; what is still queued is delivered first unless the backend dropped it. */
  fail(err: StorageError): void {
    if (this.ended) return;
    this.#failure = err;
    this.onEnd(err);
    this.unregister();
    this.wakeUp();
  }

  close(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.dropQueued();
    this.onEnd(new StorageError('Closed', this.prefix, 'watch closed'));
    // A failed watch was already unregistered by fail().
    if (!this.#failure) this.unregister();
    this.wakeUp();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    try {
      for (;;) {
        if (this.#stopped) return;
        const event = this.take();
        if (event) {
          yield event;
          continue;
        }
        if (this.#failure) throw this.#failure;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
      }
    } finally {
      this.close();
    }
  }

  /** Lets a consumer waiting in the iterator look again (an event was queued or the watch ended). */
  protected wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** A progress notification: every change up to `revision` has been delivered. */
export function bookmarkEvent(revision: number): WatchEvent {
  return { type: 'BOOKMARK', key: '', object: { metadata: { resourceVersion: String(revision) } }, revision };
}
