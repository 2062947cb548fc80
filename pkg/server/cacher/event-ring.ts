// EventRing: the most recent storage events of one resource, oldest first, bounded by count
// and by bytes (events carry their encoded size from the backend): a resource whose objects
// are large keeps fewer events, never more memory than the byte bound plus one event. Events
// can also be dropped by age (dropOlderThan): like kube-apiserver's watch cache, a burst of
// writes is kept for a freshness window for watchers to resume into, not for ever.
// windowStart is the revision after which *every* event is held: a watch from a revision
// >= windowStart can be replayed from memory, an older one cannot.
import type { WatchEvent } from '../../storage/interface.ts';

export class EventRing {
  readonly capacity: number;
  readonly maxBytes: number;
  private bytes = 0;
  private readonly slots: (WatchEvent | undefined)[];
  /** When each slot's event was pushed (ms, the caller's clock). */
  private readonly pushedAt: Float64Array;
  private head = 0;
  private size = 0;
  #windowStart: number;

  constructor(capacity: number, windowStart: number, maxBytes = Number.POSITIVE_INFINITY) {
    if (capacity < 1) throw new Error('EventRing capacity must be at least 1');
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.slots = new Array<WatchEvent | undefined>(capacity);
    this.pushedAt = new Float64Array(capacity);
    this.#windowStart = windowStart;
  }

  get windowStart(): number {
    return this.#windowStart;
  }

  get length(): number {
    return this.size;
  }

  /** Encoded bytes of the events held (as the backend reported them). */
  get byteSize(): number {
    return this.bytes;
  }

  /** Forget everything: after a relist at `revision`, only later events are known. */
  reset(revision: number): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.size = 0;
    this.bytes = 0;
    this.#windowStart = revision;
  }

  /** Append an event (revisions must not decrease); evicts the oldest when full. */
  push(ev: WatchEvent, now = 0): void {
    const size = ev.size ?? 0;
    while (this.size === this.capacity || (this.size > 0 && this.bytes + size > this.maxBytes)) this.evictOldest();
    this.pushedAt[(this.head + this.size) % this.capacity] = now;
    this.slots[(this.head + this.size) % this.capacity] = ev;
    this.size++;
    this.bytes += size;
  }

  /** Drop the oldest events pushed before `cutoff`, keeping at least `keep` events. Returns how many were dropped. */
  dropOlderThan(cutoff: number, keep: number): number {
    let dropped = 0;
    while (this.size > keep && this.pushedAt[this.head]! < cutoff) {
      this.evictOldest();
      dropped++;
    }
    return dropped;
  }

  private evictOldest(): void {
    const oldest = this.slots[this.head]!;
    this.#windowStart = oldest.revision;
    this.bytes -= oldest.size ?? 0;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
  }

  private at(i: number): WatchEvent {
    return this.slots[(this.head + i) % this.capacity]!;
  }

  /** Events with revision > `revision`, oldest first (binary search for the start). */
  after(revision: number): WatchEvent[] {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    const out: WatchEvent[] = [];
    for (let i = lo; i < this.size; i++) out.push(this.at(i));
    return out;
  }
}
