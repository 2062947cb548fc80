// Helpers for the storage conformance suite: a fresh backend per test, unique key
// prefixes (so a shared backend such as one etcd cluster is safe), and watch readers with
// generous timeouts (they bound a hang; they never judge speed).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'node:test';
import { isStorageError, type StorageErrorCode } from '../errors.ts';
import type { Storage, StoredObject, WatchEvent, Watcher } from '../interface.ts';

export interface StorageFixture {
  storage: Storage;
  cleanup(): Promise<void>;
}

export type StorageFactory = () => Promise<StorageFixture>;

export interface ConformanceOptions {
  /**
   * Events written at an unread watcher to prove it is ended as too slow without blocking
   * writers; must exceed the backend's per-watcher bound. Omit to skip that test.
   */
  slowWatcherEvents?: number;
  /** How long to wait for a progress BOOKMARK. Defaults to 30 s (the backend should be configured faster). */
  bookmarkTimeoutMs?: number;
}

/** Generous upper bound for anything that should happen "soon" on a busy 2-core machine. */
export const PATIENCE_MS = 30_000;

export interface TestContext {
  storage: Storage;
  /** A prefix unique to this test: /registry/<group>/things/ */
  base: string;
  /** Key of object `name` in logical cluster `cluster` under this test's prefix. */
  key(name: string, cluster?: string): string;
  /** Prefix of a logical cluster under this test's resource. */
  clusterPrefix(cluster?: string): string;
}

/** Registers beforeEach/afterEach in the current describe and returns a live view of the context. */
export function useStorage(factory: StorageFactory): TestContext {
  let fixture: StorageFixture | undefined;
  let group = '';
  const ctx: TestContext = {
    get storage(): Storage {
      assert.ok(fixture, 'storage fixture not ready');
      return fixture.storage;
    },
    get base(): string {
      return `/registry/${group}/things/`;
    },
    key: (name, cluster = 'root') => `${ctx.clusterPrefix(cluster)}${name}`,
    clusterPrefix: (cluster = 'root') => `${ctx.base}${cluster}/`,
  };
  beforeEach(async () => {
    group = `conformance-${randomBytes(4).toString('hex')}.kplane.io`;
    fixture = await factory();
  });
  afterEach(async () => {
    const f = fixture;
    fixture = undefined;
    if (!f) return;
    try {
      await f.storage.close();
    } finally {
      await f.cleanup();
    }
  });
  return ctx;
}

export function obj(name: string, extra: Record<string, unknown> = {}): StoredObject {
  return { apiVersion: 'v1', kind: 'Thing', metadata: { name, uid: `uid-${name}` }, ...extra };
}

export function rv(o: StoredObject | undefined): number {
  const v = o?.metadata?.['resourceVersion'];
  assert.equal(typeof v, 'string', 'metadata.resourceVersion must be a string');
  const n = Number(v);
  assert.ok(Number.isSafeInteger(n) && n > 0, `resourceVersion ${String(v)} must be a positive integer`);
  return n;
}

/** Drop metadata.resourceVersion to compare content. */
export function content(o: StoredObject | undefined): unknown {
  if (!o) return o;
  const { resourceVersion: _rv, ...meta } = o.metadata ?? {};
  return { ...o, metadata: meta };
}

export async function expectStorageError(p: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isStorageError(err), `expected StorageError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, `expected code ${code}, got ${err.code}: ${err.message}`);
    return true;
  });
}

/** Pulls events one at a time with a timeout, so a missing event fails instead of hanging. */
export class WatchReader {
  readonly watcher: Watcher;
  readonly #it: AsyncIterator<WatchEvent>;

  constructor(watcher: Watcher) {
    this.watcher = watcher;
    this.#it = watcher[Symbol.asyncIterator]();
  }

  /** The next event, or undefined when the watch ended normally. Rejects with the watch's error. */
  async next(timeoutMs = PATIENCE_MS): Promise<WatchEvent | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no watch event within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const r = await Promise.race([this.#it.next(), timeout]);
      return r.done ? undefined : r.value;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The next n non-bookmark events. */
  async take(n: number, timeoutMs = PATIENCE_MS): Promise<WatchEvent[]> {
    const out: WatchEvent[] = [];
    while (out.length < n) {
      const ev = await this.next(timeoutMs);
      assert.ok(ev, `watch ended after ${out.length} of ${n} events`);
      if (ev.type !== 'BOOKMARK') out.push(ev);
    }
    return out;
  }

  close(): void {
    this.watcher.close();
  }
}

export async function watchReader(storage: Storage, prefix: string, from: number, progressNotify = false): Promise<WatchReader> {
  return new WatchReader(await storage.watch(prefix, from, { progressNotify }));
}
