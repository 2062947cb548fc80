// A min-heap of keys ordered by ready time, with an index from key to heap slot so that a
// duplicate addAfter can find the existing entry and move it earlier in O(log n)
// (client-go's waitForPriorityQueue + knownEntries). Ties pop in insertion order.

interface Entry<K> {
  key: K;
  readyAt: number;
  /** Insertion sequence; breaks ready-time ties so equal delays stay FIFO. */
  seq: number;
  index: number;
}

export class WaitingHeap<K> {
  readonly #entries: Entry<K>[] = [];
  readonly #byKey = new Map<K, Entry<K>>();
  #seq = 0;

  get size(): number {
    return this.#entries.length;
  }

  has(key: K): boolean {
    return this.#byKey.has(key);
  }

  /** Ready time of the earliest entry, or undefined if empty. */
  peekReadyAt(): number | undefined {
    return this.#entries[0]?.readyAt;
  }

  /**
   * Inserts key at readyAt, or moves an existing entry earlier. Never moves an entry later.
   * Returns true if the heap changed.
   */
  upsertEarliest(key: K, readyAt: number): boolean {
    const existing = this.#byKey.get(key);
    if (existing !== undefined) {
      if (readyAt >= existing.readyAt) return false;
      existing.readyAt = readyAt;
      this.#siftUp(existing.index);
      return true;
    }
    const entry: Entry<K> = { key, readyAt, seq: this.#seq++, index: this.#entries.length };
    this.#entries.push(entry);
    this.#byKey.set(key, entry);
    this.#siftUp(entry.index);
    return true;
  }

  /** Removes and returns the earliest key if it is ready at `now`. */
  popReady(now: number): K | undefined {
    const top = this.#entries[0];
    if (top === undefined || top.readyAt > now) return undefined;
    const last = this.#entries.pop() as Entry<K>;
    if (last !== top) {
      last.index = 0;
      this.#entries[0] = last;
      this.#siftDown(0);
    }
    this.#byKey.delete(top.key);
    return top.key;
  }

  clear(): void {
    this.#entries.length = 0;
    this.#byKey.clear();
  }

  #less(a: Entry<K>, b: Entry<K>): boolean {
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
  }

  #swap(i: number, j: number): void {
    const a = this.#entries[i] as Entry<K>;
    const b = this.#entries[j] as Entry<K>;
    this.#entries[i] = b;
    this.#entries[j] = a;
    b.index = i;
    a.index = j;
  }

  #siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(this.#entries[i] as Entry<K>, this.#entries[parent] as Entry<K>)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #siftDown(i: number): void {
    const n = this.#entries.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.#less(this.#entries[left] as Entry<K>, this.#entries[smallest] as Entry<K>)) smallest = left;
      if (right < n && this.#less(this.#entries[right] as Entry<K>, this.#entries[smallest] as Entry<K>)) smallest = right;
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }
}
