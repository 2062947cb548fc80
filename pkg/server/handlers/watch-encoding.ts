// Watch event lines, and the small cache that lets every watcher of an event share one
// encoding. The watch cache hands the same (immutable) object to all of its watchers, so N
// watchers of a large object can share one Buffer instead of making N strings and N copies.
// The cache is bounded in bytes and keeps recent events only (watchers send an event within
// moments of each other); it never doubles the memory of the objects the watch cache holds.

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

export class SharedEventLines {
  private readonly maxBytes: number;
  /** Insertion-ordered: the first entry is the oldest. */
  private readonly lines = new Map<object, Map<string, Buffer>>();
  private bytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** The line for (type, obj), encoded with `wire(obj)` the first time it is asked for. */
  get(type: string, obj: object, wire: () => unknown): Buffer {
    let byType = this.lines.get(obj);
    const hit = byType?.get(type);
    if (hit) return hit;
    const line = ownedBuffer(eventLine(type, JSON.stringify(wire())));
    // An event larger than the whole cache is not worth keeping.
    if (line.length > this.maxBytes) return line;
    if (!byType) {
      byType = new Map();
      this.lines.set(obj, byType);
    }
    byType.set(type, line);
    this.bytes += line.length;
    while (this.bytes > this.maxBytes) this.evictOldest();
    return line;
  }

  get byteSize(): number {
    return this.bytes;
  }

  private evictOldest(): void {
    const first = this.lines.entries().next();
    if (first.done) return;
    const [obj, byType] = first.value;
    for (const b of byType.values()) this.bytes -= b.length;
    this.lines.delete(obj);
  }
}
