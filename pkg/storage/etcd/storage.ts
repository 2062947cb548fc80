// The etcd v3 backend of storage.Storage, the same model kube-apiserver uses:
// resourceVersion = mod_revision, create = txn(create_revision == 0), update and delete =
// txn(mod_revision == what we read) whose failure branch returns the fresh value for the
// next attempt, list = one range at one revision, watch = an etcd watch with prev_kv.
import type { Etcd3, IKeyValue, IRequestOp } from 'etcd3';
import { StorageError } from '../errors.ts';
import type { ListOptions, ListResult, Preconditions, Storage, StoredObject, UpdateFunc, WatchOptions, Watcher } from '../interface.ts';
import { decodeContinue, encodeContinue } from '../continue-token.ts';
import { decodeObject, encodeObject, sameStoredContent, storedUid, withRevision } from '../object-codec.ts';
import { meetsPreconditions } from '../preconditions.ts';
import { etcdCall } from './etcd-call.ts';
import { keyAfter, type KeySpace } from './key-space.ts';
import { Revisions } from './revisions.ts';
import { EtcdWatcher } from './watcher.ts';

export interface EtcdTuning {
  /** Events a watcher may have queued before it is ended as too slow. Defaults to 10000. */
  maxWatcherQueue: number;
  /**
   * guaranteedUpdate/update/delete give up with Conflict only after this many lost compares AND
   * `updateDeadlineMs` since the first: kube's etcd3 store retries until its request's context
   * ends, and a count alone let one racer on a busy machine lose 64 rounds in 0.7 s. Defaults to 64.
   */
  maxUpdateAttempts: number;
  /** See maxUpdateAttempts. Defaults to the request deadline (requestTimeoutMs, 15000 ms). */
  updateDeadlineMs: number;
  /** How long close() waits for etcd to confirm watch cancellations. Defaults to 2000 ms. */
  closeGraceMs: number;
}

/** What a read-modify-write decided to do with the current value. */
type Decision = { kind: 'keep' } | { kind: 'put'; json: string } | { kind: 'delete' };

export class EtcdStorage implements Storage {
  readonly name = 'etcd';
  readonly #client: Etcd3;
  readonly #keys: KeySpace;
  readonly #tuning: EtcdTuning;
  readonly #revisions: Revisions;
  readonly #watchers = new Set<EtcdWatcher>();
  readonly #inflight = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;

  constructor(client: Etcd3, keys: KeySpace, tuning: EtcdTuning) {
    this.#client = client;
    this.#keys = keys;
    this.#tuning = tuning;
    this.#revisions = new Revisions(client, keys);
  }

  /** The etcd key prefix of this instance ('' for none). */
  get prefix(): string {
    return this.#keys.prefix;
  }

  create(key: string, obj: StoredObject): Promise<StoredObject> {
    return this.#op(key, async () => {
      const json = encodeObject(key, obj);
      const ek = this.#keys.key(key);
      const res = await etcdCall(key, 'create', () =>
        this.#client.kv.txn({
          compare: [{ key: ek, target: 'Create', result: 'Equal', create_revision: 0 }],
          success: [{ request_put: { key: ek, value: Buffer.from(json, 'utf8') } }],
          failure: [],
        }),
      );
      if (!res.succeeded) throw new StorageError('KeyExists', key);
      return withRevision(obj, Number(res.header.revision));
    });
  }

  get(key: string): Promise<StoredObject> {
    return this.#op(key, async () => {
      const cur = await this.#read(key);
      if (!cur) throw new StorageError('KeyNotFound', key);
      return decodeKv(cur);
    });
  }

  list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    return this.#op(prefix, async () => {
      const token = opts.continue ? decodeContinue(prefix, opts.continue) : undefined;
      const { start, end } = this.#keys.range(prefix);
      const revision = token?.revision ?? opts.revision ?? 0; // 0: etcd's latest
      const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
      const res = await etcdCall(prefix, 'list', () =>
        this.#client.kv.range({
          key: token ? keyAfter(this.#keys.key(token.lastKey)) : start,
          ...(end ? { range_end: end } : {}),
          revision,
          limit,
        }),
      );
      // An explicit revision is the snapshot; otherwise the header says which one we read.
      const snapshot = revision > 0 ? revision : Number(res.header.revision);
      const result: ListResult = { items: res.kvs.map(decodeKv), revision: snapshot };
      const last = res.kvs[res.kvs.length - 1];
      if (res.more && last) {
        result.continue = encodeContinue({ revision: snapshot, lastKey: this.#keys.storageKey(last.key) });
        result.remainingItemCount = Number(res.count) - res.kvs.length;
      }
      return result;
    });
  }

  update(key: string, obj: StoredObject, preconditions?: Preconditions): Promise<StoredObject> {
    return this.#op(key, async () => {
      const json = encodeObject(key, obj);
      return this.#readModifyWrite(key, preconditions, async (cur) =>
        sameStoredContent(cur.value.toString('utf8'), json) ? { kind: 'keep' } : { kind: 'put', json },
      );
    });
  }

  guaranteedUpdate(key: string, tryUpdate: UpdateFunc, preconditions?: Preconditions, cachedExisting?: StoredObject): Promise<StoredObject> {
    const decide = async (cur: IKeyValue): Promise<Decision> => {
      const desired = await tryUpdate(decodeKv(cur));
      if (desired === null) return { kind: 'keep' };
      const json = encodeObject(key, desired);
      // As kube's GuaranteedUpdate: the update function judged the change; identical bytes only are a no-op.
      return cur.value.toString('utf8') === json ? { kind: 'keep' } : { kind: 'put', json };
    };
    return this.#op(key, async () => {
      if (cachedExisting === undefined) return this.#readModifyWrite(key, preconditions, decide);
      const first = await this.#writeFromGuess(key, tryUpdate, preconditions, cachedExisting);
      return 'written' in first ? first.written : this.#readModifyWrite(key, preconditions, decide, first.fresh);
    });
  }

  /**
   * The first attempt of a guaranteedUpdate from the caller's cached copy, without reading:
   * the txn's mod_revision compare is what verifies the guess. Anything the guess cannot
   * decide alone (preconditions failing, no change: either may be the copy's staleness) falls
   * back to the ordinary loop with a fresh read, as kube's GuaranteedUpdate does with
   * cachedExistingObject. A lost compare hands over the fresh value the txn returned.
   */
  async #writeFromGuess(key: string, tryUpdate: UpdateFunc, pre: Preconditions | undefined, guess: StoredObject): Promise<{ written: StoredObject } | { fresh: IKeyValue | undefined }> {
    const rev = guess.metadata?.resourceVersion;
    if (typeof rev !== 'string' || rev === '') return { fresh: await this.#read(key) };
    if (!meetsPreconditions(guess, pre)) return { fresh: await this.#read(key) };
    const desired = await tryUpdate(guess);
    if (desired === null) return { fresh: await this.#read(key) };
    const json = encodeObject(key, desired);
    if (json === encodeObject(key, guess)) return { fresh: await this.#read(key) };
    const ek = this.#keys.key(key);
    const res = await etcdCall(key, 'update', () =>
      this.#client.kv.txn({
        compare: [{ key: ek, target: 'Mod', result: 'Equal', mod_revision: rev }],
        success: [{ request_put: { key: ek, value: Buffer.from(json, 'utf8') } }],
        failure: [{ request_range: { key: ek } }],
      }),
    );
    // The object just encoded, not a decode of it (object-codec.ts withRevision).
    if (res.succeeded) return { written: withRevision(desired, Number(res.header.revision)) };
    return { fresh: res.responses[0]?.response_range?.kvs[0] };
  }

  delete(key: string, preconditions?: Preconditions): Promise<StoredObject> {
    return this.#op(key, () => this.#readModifyWrite(key, preconditions, async () => ({ kind: 'delete' })));
  }

  watch(prefix: string, fromRevision: number, opts: WatchOptions = {}): Promise<Watcher> {
    return this.#op(prefix, async () => {
      // Interface semantics: Expired iff fromRevision < the compacted revision. etcd refuses
      // a watch whose start is below its compact mark, so starting AT fromRevision (and
      // dropping that revision's events) gives exactly that rule, also for compactions
      // made by others; the read below turns it into an immediate rejection.
      const start = Math.max(fromRevision, 1);
      if (fromRevision < this.#revisions.knownCompacted || !(await this.#revisions.readable(start))) {
        throw new StorageError('Expired', prefix, `revision ${fromRevision} is compacted`);
      }
      const { start: key, end } = this.#keys.range(prefix);
      const builder = this.#client.watch().withPreviousKV().startRevision(String(start));
      if (end) builder.inRange({ start: key, end });
      else builder.key(key);
      const watcher = new EtcdWatcher(builder.watcher(), {
        prefix,
        fromRevision,
        keySpace: this.#keys,
        progressNotify: opts.progressNotify === true,
        maxQueued: this.#tuning.maxWatcherQueue,
        classifyCancel: (after, cause) => this.#classifyCancel(prefix, after, cause),
        onClose: (w) => this.#watchers.delete(w),
      });
      this.#watchers.add(watcher);
      await watcher.ready();
      return watcher;
    });
  }

  currentRevision(): Promise<number> {
    return this.#op('', () => this.#revisions.current());
  }

  compactedRevision(): Promise<number> {
    return this.#op('', () => this.#revisions.compacted());
  }

  compact(revision: number): Promise<void> {
    return this.#op('', () => this.#revisions.compact(revision));
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Operations already started complete (their callers were promised an answer).
      while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
      await this.#revisions.idle();
      const watchers = [...this.#watchers];
      for (const w of watchers) w.fail(new StorageError('Closed', w.prefix, 'storage closed'));
      // Give etcd a moment to confirm the cancellations so no stream outlives the client.
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#tuning.closeGraceMs)));
      await Promise.race([Promise.allSettled(watchers.map((w) => w.cancelled)), grace]);
      clearTimeout(timer);
      this.#client.close();
    })();
    return this.#closing;
  }

  /** Runs one public operation: refused after close; close waits for it. */
  #op<T>(key: string, run: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new StorageError('Closed', key, 'storage closed'));
    const p = run();
    this.#inflight.add(p);
    const forget = () => this.#inflight.delete(p);
    p.then(forget, forget);
    return p;
  }

  async #read(key: string): Promise<IKeyValue | undefined> {
    const res = await etcdCall(key, 'get', () => this.#client.kv.range({ key: this.#keys.key(key) }));
    return res.kvs[0];
  }

  /**
   * The CAS loop shared by update, guaranteedUpdate and delete: read, check preconditions,
   * decide, then write only if mod_revision is still what we read. On a lost race the txn's
   * failure branch hands back the fresh value, so a retry costs one round trip.
   */
  async #readModifyWrite(key: string, pre: Preconditions | undefined, decide: (cur: IKeyValue) => Promise<Decision>, initial?: IKeyValue): Promise<StoredObject> {
    const ek = this.#keys.key(key);
    let cur = initial ?? (await this.#read(key));
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      if (!cur) throw new StorageError('KeyNotFound', key);
      checkPreconditions(key, cur, pre);
      const decision = await decide(cur);
      if (decision.kind === 'keep') return decodeKv(cur);
      const write: IRequestOp =
        decision.kind === 'put'
          ? { request_put: { key: ek, value: Buffer.from(decision.json, 'utf8') } }
          : { request_delete_range: { key: ek } };
      const readRevision = cur.mod_revision;
      const res = await etcdCall(key, decision.kind === 'put' ? 'update' : 'delete', () =>
        this.#client.kv.txn({
          compare: [{ key: ek, target: 'Mod', result: 'Equal', mod_revision: readRevision }],
          success: [write],
          failure: [{ request_range: { key: ek } }],
        }),
      );
      const revision = Number(res.header.revision);
      if (res.succeeded) {
        return decision.kind === 'put' ? decodeObject(decision.json, revision) : decodeObject(cur.value.toString('utf8'), revision);
      }
      cur = res.responses[0]?.response_range?.kvs[0];
      const elapsed = Date.now() - started;
      if (attempt + 1 >= this.#tuning.maxUpdateAttempts && elapsed >= this.#tuning.updateDeadlineMs) {
        throw new StorageError('Conflict', key, `${key}: gave up after ${attempt + 1} attempts in ${elapsed} ms under contention`);
      }
      // Lost again: wait a jittered, growing few milliseconds (at most 25) before the next try,
      // so racers that keep colliding spread out instead of one losing every round.
      if (attempt >= 2) await new Promise((r) => setTimeout(r, Math.random() * Math.min(25, 2 ** (attempt - 2))));
    }
  }

  async #classifyCancel(prefix: string, after: number, cause: unknown): Promise<StorageError> {
    const detail = cause instanceof Error ? cause.message : String(cause);
    try {
      if (!(await this.#revisions.readable(after))) {
        return new StorageError('Expired', prefix, `watch of ${prefix}: revision ${after} was compacted (${detail})`, { cause });
      }
    } catch {
      // etcd is unreachable: the watch ended for that reason.
    }
    return new StorageError('Unavailable', prefix, `watch of ${prefix} cancelled by etcd: ${detail}`, { cause });
  }
}

function decodeKv(kv: IKeyValue): StoredObject {
  return decodeObject(kv.value.toString('utf8'), Number(kv.mod_revision));
}

function checkPreconditions(key: string, cur: IKeyValue, pre: Preconditions | undefined): void {
  if (!pre) return;
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== cur.mod_revision) {
    throw new StorageError('Conflict', key, `${key}: resourceVersion ${pre.resourceVersion} does not match ${cur.mod_revision}`);
  }
  if (pre.uid !== undefined && pre.uid !== storedUid(cur.value.toString('utf8'))) {
    throw new StorageError('Conflict', key, `${key}: uid ${pre.uid} does not match`);
  }
}
