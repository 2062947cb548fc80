// ResourceStore is the generic REST store for one resource (kube's genericregistry.Store):
// it owns key layout, system metadata (uid, timestamps, generation, cluster annotation),
// the status split, finalizer-aware deletion and the storage-to-API error mapping.
// It knows nothing of HTTP bodies or patch formats: handlers compute desired objects.
// Resource-specific behaviour comes from its Strategy (strategy.ts), called on every path.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ResourceDefinition } from '../../../apis/resource.ts';
import { newAlreadyExists, newExpired, newNotFound, StatusError } from '../../apierrors/errors.ts';
import { decodeContinue } from '../../storage/continue-token.ts';
import { isStorageError } from '../../storage/errors.ts';
import type { Storage, Watcher } from '../../storage/interface.ts';
import { objectKey, prefixKey } from '../../storage/keys.ts';
import { conflict, conflictRV, conflictUID, toStatusError } from './errors.ts';
import { isCachedLister } from '../cacher/index.ts';
import { asKObject, CLUSTER_ANNOTATION, clone, type KObject, putManagedFields, semanticallyEqual, specChanged } from './object.ts';
import type { HistoryGuard, Requester, Strategy } from './strategy.ts';
import { formatTime } from '../../../apis/meta/v1/time.ts';

export interface Scope {
  /** Logical cluster, or undefined for the wildcard (every cluster). */
  cluster: string | undefined;
  /** Namespace for namespaced resources ('' = every namespace). */
  namespace: string;
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Who asks (strategies may record it, e.g. a Workspace's owner). */
  requester?: Requester | undefined;
}

export interface UpdateOptions extends WriteOptions {
  /**
   * '' for the main resource, 'status' for the status subresource, 'finalize' for the
   * system's own update of system-owned fields (a namespace's spec.finalizers, system finalizers).
   */
  subresource?: string;
  /** Create the object if absent (server-side apply). */
  allowCreate?: boolean;
}

/**
 * Turns the live object (undefined when absent and allowCreate) into the desired object.
 * Runs inside a retry loop: it may be called more than once.
 */
export type Mutator = (live: KObject | undefined) => KObject | Promise<KObject>;

export interface UpdateResult {
  object: KObject;
  created: boolean;
}

export interface DeleteResult {
  object: KObject;
  /** false when finalizers keep the object (deletionTimestamp set instead). */
  deleted: boolean;
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function generateSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  return s;
}

export class ResourceStore {
  readonly def: ResourceDefinition;
  private readonly storage: Storage;
  private readonly now: () => number;
  /** Resource-specific behaviour; the lifecycle installs workspace and namespace rules. */
  strategy: Strategy = {};
  /** Refuses reads of a logical cluster's previous incarnation; undefined = none. */
  history: HistoryGuard | undefined;

  constructor(def: ResourceDefinition, storage: Storage, now: () => number = Date.now) {
    this.def = def;
    this.storage = storage;
    this.now = now;
  }

  /**
   * Reads at `revision` in `cluster` must not predate the cluster's current incarnation:
   * such a revision may hold a deleted predecessor's objects under the same path (410, as
   * kube answers for a revision it no longer serves).
   */
  private async checkHistory(cluster: string | undefined, revision: number | undefined): Promise<void> {
    if (cluster === undefined || revision === undefined || !this.history) return;
    const birth = await this.history.birthRevision(cluster);
    if (revision < birth) {
      throw newExpired(`too old resource version: ${revision} (logical cluster "${cluster}" was created at ${birth})`);
    }
  }

  /** The birth revision of scope's cluster (0 for the wildcard or without a guard). */
  private async birthOf(scope: Scope): Promise<number> {
    if (scope.cluster === undefined || !this.history) return 0;
    return this.history.birthRevision(scope.cluster);
  }

  /** Whether anything still holds an object marked for deletion. */
  private held(obj: KObject): boolean {
    return (obj.metadata.finalizers ?? []).length > 0 || this.strategy.holdsDeletion?.(obj) === true;
  }

  /** A deletion completed: run the resource's cleanup (the only place it is triggered). */
  private async deleted(cluster: string, gone: KObject): Promise<KObject> {
    await this.strategy.afterDelete?.(cluster, gone);
    return gone;
  }

  key(cluster: string, namespace: string, name: string): string {
    return objectKey({
      group: this.def.group,
      resource: this.def.plural,
      cluster,
      name,
      ...(this.def.namespaced ? { namespace } : {}),
    });
  }

  prefix(scope: Scope): string {
    return prefixKey({
      group: this.def.group,
      resource: this.def.plural,
      ...(scope.cluster !== undefined ? { cluster: scope.cluster } : {}),
      ...(this.def.namespaced && scope.namespace ? { namespace: scope.namespace } : {}),
    });
  }

  private mapError(err: unknown, name: string): unknown {
    return toStatusError(err, this.def.group, this.def.plural, name);
  }

  async get(cluster: string, namespace: string, name: string): Promise<KObject> {
    try {
      return asKObject(await this.storage.get(this.key(cluster, namespace, name)));
    } catch (err) {
      throw this.mapError(err, name);
    }
  }

  /** The watch cache's copy (Storage.peek): possibly a moment old, shared, never to be modified. */
  peekCached(cluster: string, namespace: string, name: string): KObject | undefined {
    const obj = this.storage.peek?.(this.key(cluster, namespace, name));
    return obj === undefined ? undefined : asKObject(obj);
  }

  async tryGet(cluster: string, namespace: string, name: string): Promise<KObject | undefined> {
    try {
      return await this.get(cluster, namespace, name);
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'NotFound') return undefined;
      throw err;
    }
  }

  async listPage(
    scope: Scope,
    opts: { limit?: number; continue?: string; revision?: number },
  ): Promise<{ items: KObject[]; revision: number; continue?: string; remainingItemCount?: number }> {
    try {
      const prefix = this.prefix(scope);
      await this.checkHistory(scope.cluster, opts.continue ? decodeContinue(prefix, opts.continue).revision : opts.revision);
      const r = await this.storage.list(prefix, opts);
      return { ...r, items: r.items.map(asKObject) };
    } catch (err) {
      throw this.mapError(err, '');
    }
  }

  async watch(scope: Scope, fromRevision: number, progressNotify: boolean): Promise<Watcher> {
    try {
      await this.checkHistory(scope.cluster, fromRevision);
      return await this.storage.watch(this.prefix(scope), fromRevision, { progressNotify });
    } catch (err) {
      throw this.mapError(err, '');
    }
  }

  /**
   * The list from the watch cache (pkg/server/cacher) when the storage has one and it is at
   * least at minRevision; undefined means "read storage". Items are shared: do not mutate.
   */
  async listCached(scope: Scope, minRevision: number): Promise<{ items: KObject[]; revision: number } | undefined> {
    if (!isCachedLister(this.storage)) return undefined;
    // A cache lagging behind the cluster's birth could still hold the predecessor's objects.
    const r = await this.storage.listCached(this.prefix(scope), Math.max(minRevision, await this.birthOf(scope)));
    return r && { items: r.items.map(asKObject), revision: r.revision };
  }

  async currentRevision(): Promise<number> {
    return this.storage.currentRevision();
  }

  /** Fill in system metadata for a new object; returns the object to store. */
  prepareForCreate(cluster: string, namespace: string, input: KObject, requester?: Requester): KObject {
    // Copy-on-write, as in prepareForUpdate: only top-level and metadata values are replaced
    // below (strategies included), so deeper values may stay shared with the input.
    const obj: KObject = { ...input, metadata: { ...input.metadata } };
    const meta = obj.metadata;
    if (!meta.name) {
      if (!meta.generateName) {
        throw new StatusError('Invalid', `${this.def.kind} is invalid: metadata.name: Required value: name or generateName is required`, {
          group: this.def.group,
          kind: this.def.kind,
          causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }],
        });
      }
      meta.name = meta.generateName + generateSuffix();
    }
    if (this.def.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    meta.uid = randomUUID();
    meta.creationTimestamp = formatTime(new Date(this.now()));
    if (this.def.generation) meta.generation = 1;
    else delete meta.generation;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.annotations = { ...meta.annotations, [CLUSTER_ANNOTATION]: cluster };
    // With a status subresource, status is owned by /status: a create cannot set it.
    if (this.def.subresources.status) delete obj.status;
    this.strategy.prepareForCreate?.(cluster, obj, requester);
    return obj;
  }

  async create(cluster: string, namespace: string, prepared: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const name = prepared.metadata.name ?? '';
    await this.strategy.validateCreate?.(cluster, namespace, prepared);
    if (opts.dryRun) {
      const existing = await this.tryGet(cluster, namespace, name);
      if (existing) throw newAlreadyExists(this.def.group, this.def.plural, name);
      return prepared;
    }
    // Taken names are refused before the strategy's side effects (which may clean up after
    // a predecessor of the same name, and must never touch a live object's contents).
    if (this.strategy.beforeCreate && (await this.tryGet(cluster, namespace, name))) {
      throw newAlreadyExists(this.def.group, this.def.plural, name);
    }
    await this.strategy.beforeCreate?.(cluster, namespace, prepared);
    let created: KObject;
    try {
      created = asKObject(await this.storage.create(this.key(cluster, namespace, name), prepared));
    } catch (err) {
      throw this.mapError(err, name);
    }
    await this.strategy.afterCreate?.(cluster, created);
    return created;
  }

  /**
   * Carry system-owned metadata from the live object into the desired one and apply the
   * status split: the main resource keeps the live status, /status keeps everything else.
   */
  prepareForUpdate(cluster: string, live: KObject, desired: KObject, subresource: string): KObject {
    // Copy-on-write: `live` was decoded for this attempt and `desired` built by it, and below
    // the metadata only whole values are replaced (strategies too), so a new top level and
    // metadata are enough; deeper values are shared with them and never modified.
    let next: KObject;
    if (subresource === 'status') {
      next = { ...live, metadata: { ...live.metadata } };
      if (desired.status === undefined) delete next.status;
      else next.status = desired.status;
      // Ownership of a /status write is computed on the desired object (kube records it).
      putManagedFields(next.metadata, desired.metadata.managedFields);
    } else {
      next = { ...desired, metadata: { ...desired.metadata } };
      if (this.def.subresources.status) {
        if (live.status === undefined) delete next.status;
        else next.status = live.status;
      }
    }
    const meta = next.metadata;
    const liveMeta = live.metadata;
    meta.name = liveMeta.name;
    if (this.def.namespaced) meta.namespace = liveMeta.namespace;
    else delete meta.namespace;
    meta.uid = liveMeta.uid;
    meta.creationTimestamp = liveMeta.creationTimestamp;
    if (liveMeta.deletionTimestamp) meta.deletionTimestamp = liveMeta.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (liveMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = liveMeta.deletionGracePeriodSeconds;
    else delete meta.deletionGracePeriodSeconds;
    if (this.def.generation) meta.generation = (liveMeta.generation ?? 1) + (specChanged(live, next) ? 1 : 0);
    else delete meta.generation;
    meta.annotations = { ...meta.annotations, [CLUSTER_ANNOTATION]: cluster };
    delete meta.resourceVersion;
    if (meta.managedFields === undefined && liveMeta.managedFields !== undefined && subresource === 'status') {
      meta.managedFields = liveMeta.managedFields;
    }
    this.strategy.prepareForUpdate?.(live, next, subresource);
    return next;
  }

  /**
   * Read-modify-write on the storage's guaranteedUpdate (which re-reads and re-runs `mutate`
   * when a concurrent writer got in between). `mutate` returns the desired object (already
   * admitted); preconditions are taken from its metadata.resourceVersion when set (PUT
   * semantics) — a mismatch is a Conflict, never silently retried. Outcomes that are not a
   * plain write (no change, dry run, a deletion completed by removing the last finalizer)
   * are decided inside the update function and carried out here.
   */
  async update(cluster: string, namespace: string, name: string, mutate: Mutator, opts: UpdateOptions = {}): Promise<UpdateResult> {
    const key = this.key(cluster, namespace, name);
    const subresource = opts.subresource ?? '';
    for (let race = 0; ; race++) {
      const out: { finish?: { live: KObject; next: KObject }; dry?: KObject } = {};
      let stored: KObject;
      try {
        stored = asKObject(
          await this.storage.guaranteedUpdate(key, async (cur) => {
            delete out.finish;
            delete out.dry;
            const live = asKObject(cur);
            const next = await this.nextForUpdate(cluster, live, mutate, subresource, name);
            // Removing the last finalizer of an object being deleted completes its deletion.
            if (next.metadata.deletionTimestamp && !this.held(next)) {
              out.finish = { live, next };
              return null;
            }
            // The mutator gave back the live object itself (a patch that changes nothing).
            if (next === live) return null;
            if (semanticallyEqual(next, live) && isDeepStrictEqual(stripTimes(next.metadata.managedFields), stripTimes(live.metadata.managedFields))) return null;
            if (opts.dryRun) {
              out.dry = { ...next, metadata: { ...next.metadata, resourceVersion: live.metadata.resourceVersion } };
              return null;
            }
            return next;
          }),
        );
      } catch (err) {
        if (!(isStorageError(err, 'KeyNotFound') && opts.allowCreate && !subresource)) throw this.mapError(err, name);
        const desired = await mutate(undefined);
        const prepared = this.prepareForCreate(cluster, namespace, { ...desired, metadata: { ...desired.metadata, name } }, opts.requester);
        try {
          return { object: await this.create(cluster, namespace, prepared, opts), created: true };
        } catch (createErr) {
          // Created by someone else since we found it absent: update that object instead.
          if (createErr instanceof StatusError && createErr.reason === 'AlreadyExists' && race < RACE_RETRIES) continue;
          throw createErr;
        }
      }
      if (out.dry) return { object: out.dry, created: false };
      if (!out.finish) return { object: stored, created: false };
      if (opts.dryRun) return { object: out.finish.next, created: false };
      let gone: KObject;
      try {
        gone = asKObject(await this.storage.delete(key, { resourceVersion: out.finish.live.metadata.resourceVersion ?? '' }));
      } catch (err) {
        // Written since we decided: decide again on the fresh object.
        if (isStorageError(err, 'Conflict') && race < RACE_RETRIES) continue;
        throw this.mapError(err, name);
      }
      return { object: await this.deleted(cluster, gone), created: false };
    }
  }

  /** The object an update stores: mutate's result checked against its preconditions and prepared. */
  private async nextForUpdate(cluster: string, live: KObject, mutate: Mutator, subresource: string, name: string): Promise<KObject> {
    const desired = await mutate(live);
    const wantRV = desired.metadata.resourceVersion;
    if (wantRV && wantRV !== live.metadata.resourceVersion) throw conflict(this.def, name);
    const wantUID = desired.metadata.uid;
    if (wantUID && wantUID !== live.metadata.uid) throw conflictUID(this.def, name, wantUID, live.metadata.uid ?? '');
    // Unchanged, so already prepared when it was stored.
    if (desired === live) return live;
    return this.prepareForUpdate(cluster, live, desired, subresource);
  }

  /** Remove an object from storage unconditionally (cascading cleanup; no finalizers). */
  async storageDelete(cluster: string, namespace: string, name: string): Promise<void> {
    try {
      await this.storage.delete(this.key(cluster, namespace, name));
    } catch (err) {
      throw this.mapError(err, name);
    }
  }

  /**
   * Delete, honouring finalizers (and the strategy's own holds): a held object only gets a
   * deletionTimestamp, through guaranteedUpdate; an unheld one is removed at the revision it
   * was judged at.
   */
  async delete(cluster: string, namespace: string, name: string, pre: Preconditions, opts: WriteOptions = {}): Promise<DeleteResult> {
    const key = this.key(cluster, namespace, name);
    for (let race = 0; ; race++) {
      const out: { live?: KObject; marked?: boolean; dry?: KObject } = {};
      let stored: KObject;
      try {
        stored = asKObject(
          await this.storage.guaranteedUpdate(key, (cur) => {
            const live = asKObject(cur);
            out.live = live;
            out.marked = false;
            delete out.dry;
            this.checkDeletePreconditions(live, pre, name);
            if (live.metadata.deletionTimestamp && this.held(live)) return null;
            const next = clone(live);
            this.strategy.prepareForDelete?.(next);
            if (!this.held(next)) return null;
            next.metadata.deletionTimestamp = live.metadata.deletionTimestamp ?? formatTime(new Date(this.now()));
            next.metadata.deletionGracePeriodSeconds = 0;
            delete next.metadata.resourceVersion;
            if (opts.dryRun) {
              out.dry = next;
              return null;
            }
            out.marked = true;
            return next;
          }),
        );
      } catch (err) {
        throw this.mapError(err, name);
      }
      if (out.dry) return { object: out.dry, deleted: false };
      if (out.marked) {
        await this.strategy.afterDeletionStarted?.(cluster, stored);
        return { object: stored, deleted: false };
      }
      const live = out.live ?? stored;
      if (live.metadata.deletionTimestamp && this.held(live)) {
        // Already terminating: a repeated DELETE only nudges the cleanup (idempotent).
        if (!opts.dryRun) await this.strategy.afterDeletionStarted?.(cluster, live);
        return { object: live, deleted: false };
      }
      if (opts.dryRun) return { object: live, deleted: true };
      let gone: KObject;
      try {
        gone = asKObject(await this.storage.delete(key, { resourceVersion: live.metadata.resourceVersion ?? '' }));
      } catch (err) {
        // Written since we judged it (perhaps a finalizer added): judge again, unless the
        // caller pinned the resourceVersion.
        if (isStorageError(err, 'Conflict') && !pre.resourceVersion && race < RACE_RETRIES) continue;
        throw this.mapError(err, name);
      }
      return { object: await this.deleted(cluster, gone), deleted: true };
    }
  }

  private checkDeletePreconditions(live: KObject, pre: Preconditions, name: string): void {
    if (pre.uid && pre.uid !== live.metadata.uid) throw conflictUID(this.def, name, pre.uid, live.metadata.uid ?? '');
    if (pre.resourceVersion && pre.resourceVersion !== live.metadata.resourceVersion) {
      throw conflictRV(this.def, name, pre.resourceVersion, live.metadata.resourceVersion ?? '');
    }
  }
}

function stripTimes(mf: Record<string, unknown>[] | undefined): unknown {
  return (mf ?? []).map(({ time: _t, ...rest }) => rest);
}

/**
 * How often update/delete start over after losing a race that guaranteedUpdate cannot retry
 * for them: a create that found the name taken after the object was absent, or a removal at
 * a revision someone wrote past. Each retry needs a concurrent writer to win again.
 */
const RACE_RETRIES = 16;
