// A short memory of service-account tokens whose signature and claims were verified. A syncer
// sends the same token with every request (a fleet's heartbeats): looking its SHA-256 up costs
// ~4 µs where the signature verification and the two JSON parses cost ~35 µs (RS256; an
// ES256 verification alone is ~76 µs), on the API server's busiest path. Only what verification proved is remembered (the ServiceAccount the token
// names, and when the token expires), never for longer than `ttlMs` nor past the token's own
// expiry; whether that ServiceAccount still exists is asked on every request, as before.
//
// Two generations, each a Map: entries go into the young one, which becomes the old one
// every `ttlMs` (or when it holds `maxEntries`), and the old one is dropped then. So an entry
// is served for one period at most and held for two, memory is bounded by two generations,
// and a server whose clients have gone quiet holds nothing two periods later (a timer that
// does not keep the process alive rotates them).
import { hash } from 'node:crypto';

interface Entry<T> {
  value: T;
  /** Milliseconds since the epoch after which the entry is not used. */
  until: number;
}

export interface VerifiedTokenCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
  /** Rotate on a timer too, so an idle server lets go of its entries (default true). */
  rotateWhenIdle?: boolean;
}

export class VerifiedTokenCache<T> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  #young = new Map<string, Entry<T>>();
  #old = new Map<string, Entry<T>>();
  #rotatedAt: number;

  constructor(opts: VerifiedTokenCacheOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? 10_000;
    this.#maxEntries = opts.maxEntries ?? 20_000;
    this.#now = opts.now ?? Date.now;
    this.#rotatedAt = this.#now();
    if (opts.rotateWhenIdle ?? true) setInterval(() => this.#rotateIfDue(this.#now()), this.#ttlMs).unref();
  }

  /** What was remembered for this token, if it is still good at this moment. */
  get(token: string): T | undefined {
    const now = this.#now();
    this.#rotateIfDue(now);
    const key = digest(token);
    const hit = this.#young.get(key) ?? this.#old.get(key);
    return hit !== undefined && hit.until > now ? hit.value : undefined;
  }

  /** Remember a verified token's outcome until `expiresAtMs` at the latest. */
  set(token: string, value: T, expiresAtMs: number): void {
    const now = this.#now();
    this.#rotateIfDue(now);
    if (this.#young.size >= this.#maxEntries) this.#rotate(now);
    this.#young.set(digest(token), { value, until: Math.min(now + this.#ttlMs, expiresAtMs) });
  }

  /** Entries held (tests, memory accounting). */
  size(): number {
    return this.#young.size + this.#old.size;
  }

  #rotateIfDue(now: number): void {
    if (now - this.#rotatedAt >= this.#ttlMs) this.#rotate(now);
  }

  #rotate(now: number): void {
    this.#old = this.#young;
    this.#young = new Map();
    this.#rotatedAt = now;
  }
}

/** The one-shot hash, as the admin token's check (bootstrap/admin.ts): no Hash object per request. */
function digest(token: string): string {
  return hash('sha256', token, 'base64url');
}
