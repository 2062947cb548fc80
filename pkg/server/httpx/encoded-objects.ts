// The JSON bytes of objects served more than once. A status patch that changes nothing (most
// of a fleet's heartbeats: every beat within the same second) is answered with the watch
// cache's copy of the object itself, the same object until its next write, and encoding it
// again for every answer was the largest single cost of that request (JSON.stringify and the
// UTF-8 copy, ~14 % of the API server's thread under wrk). Objects are remembered by identity,
// which is sound because an object handed out by storage or the watch cache is never modified
// afterwards (the contract in pkg/storage/interface.ts, checked in tests by
// KPLANE_TEST_VERIFY_SHARED): a changed object is a new object, so it can never be answered
// with an old one's bytes.
//
// Bounded, first in first out: the hot objects of a heartbeat stream are a few hundred, and
// an unbounded (or weak) memo would keep one encoding per cached object, megabytes at 10,000
// SyncTargets. An object evicted while still hot is encoded again once.
//
// Only an object answered a second time is kept: most answers (a create's, an update's, a GET
// decoded for that request) are of objects never answered again, and holding each of those
// until 512 later answers pushed them out would keep them alive past the young generation, so
// that the collector copies them and later sweeps them from the old one. The first answer only
// marks the object in a WeakSet, which keeps nothing alive.

import { recentEncodings } from '../../storage/recent-encodings.ts';

export class EncodedObjects {
  readonly #capacity: number;
  readonly #bytes = new Map<object, Buffer>();
  readonly #answeredOnce = new WeakSet<object>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** The UTF-8 JSON of obj: from its second use on, the bytes of that second use's encoding. */
  encode(obj: object): Buffer {
    const known = this.#bytes.get(obj);
    if (known !== undefined) return known;
    // A write's answer: the bytes storage just made for it, with its revision spliced in.
    const bytes = Buffer.from(recentEncodings.jsonOf(obj) ?? JSON.stringify(obj), 'utf8');
    if (!this.#answeredOnce.has(obj)) {
      this.#answeredOnce.add(obj);
      return bytes;
    }
    if (this.#bytes.size >= this.#capacity) {
      // Map iterates in insertion order: the first key is the oldest entry.
      const oldest = this.#bytes.keys().next();
      if (!oldest.done) this.#bytes.delete(oldest.value);
    }
    this.#bytes.set(obj, bytes);
    return bytes;
  }

  get size(): number {
    return this.#bytes.size;
  }
}
