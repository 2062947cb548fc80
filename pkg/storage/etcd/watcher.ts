// One storage watch on top of one etcd watch (etcd3's Watcher, multiplexed by the client on
// one gRPC stream). etcd delivers events in revision order without gaps; this class turns
// them into WatchEvents, buffers them for the consumer (bounded: a consumer that falls too
// far behind is ended with Expired, writers never wait), and ends the watch on anything
// that could leave a gap:
//  - the stream breaks: etcd3 would silently resubscribe from a revision it guesses, so we
//    end the watch with Unavailable instead and the caller re-watches from its last RV;
//  - etcd cancels the watch (its history was compacted): Expired or Unavailable, as the
//    caller-supplied classifier decides.
import type { IEvent, IWatchResponse, Watcher as Etcd3Watcher } from 'etcd3';
import { StorageError } from '../errors.ts';
import type { WatchEvent } from '../interface.ts';
import { decodeObject, LazyPrevEvent } from '../object-codec.ts';
import { bookmarkEvent, PullWatcher } from '../pull-watcher.ts';
import type { KeySpace } from './key-space.ts';

export interface EtcdWatcherOptions {
  /** The storage prefix (or exact key) watched. */
  prefix: string;
  /** Events at or below this revision are dropped (the etcd watch starts at it, see storage.ts). */
  fromRevision: number;
  keySpace: KeySpace;
  progressNotify: boolean;
  /** Events allowed to wait for the consumer before the watch is ended as too slow. */
  maxQueued: number;
  /** Why etcd cancelled a watch that still needed revisions after `revision`. */
  classifyCancel: (revision: number, cause: unknown) => Promise<StorageError>;
  onClose: (w: EtcdWatcher) => void;
}

export class EtcdWatcher extends PullWatcher {
  readonly prefix: string;
  readonly #opts: EtcdWatcherOptions;
  readonly #etcd: Etcd3Watcher;
  #queue: WatchEvent[] = [];
  /** Revision of the newest event queued (or delivered); bookmarks never go below it. */
  #lastDelivered: number;
  #cancelled: Promise<void> | undefined;
  /** etcd acknowledged the watch. */
  #connected = false;
  /** Settles the pending ready() promise, if any. */
  #settle: ((err?: StorageError) => void) | undefined;

  /** etcdWatcher must be freshly built (builder.watcher()) so no response can precede our listeners. */
  constructor(etcdWatcher: Etcd3Watcher, opts: EtcdWatcherOptions) {
    super();
    this.#opts = opts;
    this.#etcd = etcdWatcher;
    this.prefix = opts.prefix;
    this.#lastDelivered = opts.fromRevision;
    etcdWatcher.once('connected', () => {
      this.#connected = true;
      this.#settle?.();
    });
    etcdWatcher.on('data', (res) => this.#onData(res));
    etcdWatcher.on('disconnected', (err) => {
      this.fail(new StorageError('Unavailable', this.prefix, `watch of ${this.prefix}: etcd stream lost: ${err.message}`, { cause: err }));
    });
    etcdWatcher.on('error', (err) => {
      // Cancelled by the server; keep what is queued (it is gap-free) and decide why.
      void opts.classifyCancel(this.#lastDelivered, err).then((e) => this.fail(e));
    });
  }

  /** Resolves once etcd acknowledged the watch; rejects with the StorageError that prevented it. */
  ready(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (this.#connected) return resolve();
      this.#settle = (err?: StorageError) => {
        this.#settle = undefined;
        if (err) reject(err);
        else resolve();
      };
    });
  }

  protected dropQueued(): void {
    this.#queue = [];
  }

  protected override onEnd(reason: StorageError): void {
    this.#settle?.(reason);
    this.#cancelEtcd();
  }

  protected unregister(): void {
    this.#opts.onClose(this);
  }

  /** Resolves when the etcd side of this watch is gone (or was never cancelled). */
  get cancelled(): Promise<void> {
    return this.#cancelled ?? Promise.resolve();
  }

  protected take(): WatchEvent | undefined {
    return this.#queue.shift();
  }

  #onData(res: IWatchResponse): void {
    if (this.ended) return;
    if (res.events.length === 0) {
      // A progress notification: every event up to header.revision has been sent.
      if (this.#opts.progressNotify) this.#enqueue(bookmarkEvent(Math.max(Number(res.header.revision), this.#lastDelivered)));
      return;
    }
    for (const ev of res.events) {
      const revision = Number(ev.kv.mod_revision);
      if (revision <= this.#opts.fromRevision) continue;
      let event: WatchEvent;
      try {
        event = toWatchEvent(ev, revision, this.#opts.keySpace);
      } catch (err) {
        this.fail(err instanceof StorageError ? err : new StorageError('InvalidObject', this.prefix, String(err), { cause: err }));
        return;
      }
      if (!this.#enqueue(event)) return;
    }
  }

  #enqueue(event: WatchEvent): boolean {
    if (this.#queue.length >= this.#opts.maxQueued) {
      this.#queue = [];
      this.fail(
        new StorageError('Expired', this.prefix, `watch of ${this.prefix} ended: consumer too slow (${this.#opts.maxQueued} events queued)`),
      );
      return false;
    }
    if (event.type !== 'BOOKMARK') this.#lastDelivered = event.revision;
    this.#queue.push(event);
    this.wakeUp();
    return true;
  }

  #cancelEtcd(): void {
    // etcd3's cancel resolves when etcd confirms; a dead stream never confirms, so errors
    // and hangs are bounded by the storage's close, which waits a short while at most.
    this.#cancelled ??= this.#etcd.cancel().catch(() => undefined);
  }
}

/** ADDED/MODIFIED/DELETED from one etcd event; DELETED carries the last state at the deletion revision. */
function toWatchEvent(ev: IEvent, revision: number, keySpace: KeySpace): WatchEvent {
  const key = keySpace.storageKey(ev.kv.key);
  const size = ev.kv.value.length + (ev.prev_kv?.value.length ?? 0);
  if (ev.type === 'Put') {
    const object = decodeObject(ev.kv.value.toString('utf8'), revision);
    if (ev.kv.version === '1') return { type: 'ADDED', key, object, revision, size };
    if (!ev.prev_kv) throw missingPrevious(key, revision);
    // prevObject decoded only if read: the watch cache holds that version already (object-codec.ts).
    return new LazyPrevEvent('MODIFIED', key, object, revision, size, ev.prev_kv.value.toString('utf8'), Number(ev.prev_kv.mod_revision));
  }
  if (!ev.prev_kv) throw missingPrevious(key, revision);
  const prevJson = ev.prev_kv.value.toString('utf8');
  return new LazyPrevEvent('DELETED', key, decodeObject(prevJson, revision), revision, size, prevJson, Number(ev.prev_kv.mod_revision));
}

function missingPrevious(key: string, revision: number): StorageError {
  // etcd reads prev_kv at revision-1; it is absent only when that was compacted meanwhile.
  return new StorageError('Expired', key, `watch event for ${key} at revision ${revision} lost its previous value to compaction`);
}
