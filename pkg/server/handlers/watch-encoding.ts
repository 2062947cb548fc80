// Watch event lines, and the small cache that lets every watcher of an event share one
// encoding. The watch cache hands the same (immutable) object to all of its watchers, so N
// watchers of a large object can share one Buffer instead of making N strings and N copies.
// The cache is bounded in bytes and keeps recent events only (watchers send an event within
// moments of each other); it never doubles the memory of the objects the watch cache holds.
// Lines also expire by age: a cache that stayed full after a burst held its 16 MiB (and ~20 MiB
// with its Map) for as long as the server stayed quiet, for no watcher (heap snapshot at 2,000
// SyncTargets, docs/design.md §11 memory). A watcher slower than that re-encodes: same bytes.

/**
 * The string's UTF-8 bytes in a Buffer of its own. Buffer.from() cuts small strings out of a
 * shared slab, and a kept slice keeps its whole slab alive: a cache of a few-KiB lines counted
 * at 16 MiB pinned ~3x that in slabs (heap snapshot at 2,000 SyncTargets: 50 MiB of
 * ArrayBuffers held by this cache alone). An exact-size allocation costs what it is counted at.
 */
export function ownedBuffer(s: string): Buffer {
  const buf = Buffer.allocUnsafeSlow(Buffer.byteLength(s));
  buf.write(s);
  return buf;
}

/** `{"type":…,"object":…}` and a newline, around already-encoded object JSON. */
export function eventLine(type: string, objectJSON: string): string {
  return `{"type":"${type}","object":${objectJSON}}\n`;
}

interface Entry {
  /** When the object's first line was encoded (the entry's place in the insertion order). */
  at: number;
  byType: Map<string, Buffer>;
}

export interface SharedEventLinesOptions {
  /** Lines older than this are dropped, by a timer that runs only while lines are held. Defaults to 10 s. */
  maxAgeMs?: number;
  /** Clock (tests). Defaults to Date.now. */
  now?: () => number;
}

export class SharedEventLines {
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly lines = new Map<object, Entry>();
  /**
   * The keys of `lines` from `head` on, oldest first. Eviction reads the oldest here instead of
   * from the Map's first entry: a Map iterator starts at the Map's oldest slot and steps over
   * every entry deleted since the Map last rehashed, thousands under a steady stream of events
   * (evicting was ~1 % of the API server's thread in the wrk heartbeat run).
   */
  private order: Array<object | undefined> = [];
  private head = 0;
  private bytes = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(maxBytes: number, opts: SharedEventLinesOptions = {}) {
    this.maxBytes = maxBytes;
    this.maxAgeMs = opts.maxAgeMs ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** The line for (type, obj), around `json()` (the object's JSON) the first time it is asked for. */
  get(type: string, obj: object, json: () => string): Buffer {
    let entry = this.lines.get(obj);
    const hit = entry?.byType.get(type);
    if (hit) return hit;
    const line = ownedBuffer(eventLine(type, json()));
    // An event larger than the whole cache is not worth keeping.
    if (line.length > this.maxBytes) return line;
    if (!entry) {
      entry = { at: this.now(), byType: new Map() };
      this.lines.set(obj, entry);
      this.order.push(obj);
    }
    entry.byType.set(type, line);
    this.bytes += line.length;
    while (this.bytes > this.maxBytes) this.evictOldest();
    this.sweeper ??= setTimeout(() => this.sweep(), this.maxAgeMs).unref();
    return line;
  }

  /** Drop lines older than maxAgeMs; run again while any are left. */
  sweep(): void {
    clearTimeout(this.sweeper);
    this.sweeper = undefined;
    const cutoff = this.now() - this.maxAgeMs;
    while (this.head < this.order.length) {
      const oldest = this.lines.get(this.order[this.head]!);
      if (oldest !== undefined && oldest.at > cutoff) break;
      this.evictOldest();
    }
    if (this.lines.size > 0) this.sweeper = setTimeout(() => this.sweep(), this.maxAgeMs).unref();
  }

  get byteSize(): number {
    return this.bytes;
  }

  private evictOldest(): void {
    if (this.head >= this.order.length) return;
    const obj = this.order[this.head]!;
    this.order[this.head++] = undefined;
    // Drop the evicted prefix once it is most of the array (amortised O(1) per eviction).
    if (this.head >= 1024 && this.head * 2 >= this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    const entry = this.lines.get(obj);
    if (entry === undefined) return;
    for (const b of entry.byType.values()) this.bytes -= b.length;
    this.lines.delete(obj);
  }
}
