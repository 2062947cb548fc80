// ResourceStore is the generic REST store for one resource (kube's genericregistry.Store):
// it owns key layout, system metadata (uid, timestamps, generation, cluster annotation),
// the status split, finalizer-aware deletion and the storage-to-API error mapping.
// It knows nothing of HTTP bodies or patch formats: handlers compute desired objects.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ResourceDefinition } from '../../../apis/resource.ts';
import { newAlreadyExists, newNotFound, StatusError } from '../../apierrors/errors.ts';
import type { Storage, Watcher } from '../../storage/interface.ts';
import { objectKey, prefixKey } from '../../storage/keys.ts';
import { toStatusError } from './errors.ts';
import { isCachedLister } from '../cacher/index.ts';
import { asKObject, CLUSTER_ANNOTATION, clone, type KObject, rfc3339, semanticallyEqual, specChanged } from './object.ts';

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
}

export interface UpdateOptions extends WriteOptions {
  /** '' for the main resource, 'status' for the status subresource. */
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

  constructor(def: ResourceDefinition, storage: Storage, now: () => number = Date.now) {
    this.def = def;
    this.storage = storage;
    this.now = now;
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
      const r = await this.storage.list(this.prefix(scope), opts);
      return { ...r, items: r.items.map(asKObject) };
    } catch (err) {
      throw this.mapError(err, '');
    }
  }

  async watch(scope: Scope, fromRevision: number, progressNotify: boolean): Promise<Watcher> {
    try {
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
    const r = await this.storage.listCached(this.prefix(scope), minRevision);
    return r && { items: r.items.map(asKObject), revision: r.revision };
  }

  async currentRevision(): Promise<number> {
    return this.storage.currentRevision();
  }

  /** Fill in system metadata for a new object; returns the object to store. */
  prepareForCreate(cluster: string, namespace: string, input: KObject): KObject {
    const obj = clone(input);
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
    meta.creationTimestamp = rfc3339(this.now());
    meta.generation = 1;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.annotations = { ...meta.annotations, [CLUSTER_ANNOTATION]: cluster };
    // With a status subresource, status is owned by /status: a create cannot set it.
    if (this.def.subresources.status) delete obj.status;
    return obj;
  }

  async create(cluster: string, namespace: string, prepared: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const name = prepared.metadata.name ?? '';
    if (opts.dryRun) {
      const existing = await this.tryGet(cluster, namespace, name);
      if (existing) throw newAlreadyExists(this.def.group, this.def.plural, name);
      return prepared;
    }
    try {
      return asKObject(await this.storage.create(this.key(cluster, namespace, name), prepared));
    } catch (err) {
      throw this.mapError(err, name);
    }
  }

  /**
   * Carry system-owned metadata from the live object into the desired one and apply the
   * status split: the main resource keeps the live status, /status keeps everything else.
   */
  prepareForUpdate(cluster: string, live: KObject, desired: KObject, subresource: string): KObject {
    let next: KObject;
    if (subresource === 'status') {
      next = clone(live);
      if (desired.status === undefined) delete next.status;
      else next.status = clone(desired.status);
      // Ownership of a /status write is computed on the desired object (kube records it).
      next.metadata.managedFields = desired.metadata.managedFields;
    } else {
      next = clone(desired);
      if (this.def.subresources.status) {
        if (live.status === undefined) delete next.status;
        else next.status = clone(live.status);
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
    meta.generation = (liveMeta.generation ?? 1) + (specChanged(live, next) ? 1 : 0);
    meta.annotations = { ...meta.annotations, [CLUSTER_ANNOTATION]: cluster };
    delete meta.resourceVersion;
    if (meta.managedFields === undefined && liveMeta.managedFields !== undefined && subresource === 'status') {
      meta.managedFields = liveMeta.managedFields;
    }
    return next;
  }

  /**
   * Read-modify-write with retries. `mutate` returns the desired object (already admitted);
   * preconditions are taken from `mutate`'s result metadata.resourceVersion when set (PUT
   * semantics) — a mismatch is a Conflict, never silently retried.
   */
  async update(cluster: string, namespace: string, name: string, mutate: Mutator, opts: UpdateOptions = {}): Promise<UpdateResult> {
    const key = this.key(cluster, namespace, name);
    const subresource = opts.subresource ?? '';
    for (let attempt = 0; ; attempt++) {
      const live = await this.tryGet(cluster, namespace, name);
      if (!live) {
        if (!opts.allowCreate || subresource) throw newNotFound(this.def.group, this.def.plural, name);
        const desired = await mutate(undefined);
        const prepared = this.prepareForCreate(cluster, namespace, { ...desired, metadata: { ...desired.metadata, name } });
        try {
          return { object: await this.create(cluster, namespace, prepared, opts), created: true };
        } catch (err) {
          if (err instanceof StatusError && err.reason === 'AlreadyExists' && attempt < 5) continue;
          throw err;
        }
      }
      const desired = await mutate(live);
      const wantRV = desired.metadata.resourceVersion;
      if (wantRV && wantRV !== live.metadata.resourceVersion) {
        throw conflict(this.def, name);
      }
      const wantUID = desired.metadata.uid;
      if (wantUID && wantUID !== live.metadata.uid) {
        throw conflictUID(this.def, name, wantUID, live.metadata.uid ?? '');
      }
      const next = this.prepareForUpdate(cluster, live, desired, subresource);
      // Removing the last finalizer of an object being deleted completes its deletion.
      if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
        if (opts.dryRun) return { object: next, created: false };
        try {
          const gone = await this.storage.delete(key, { resourceVersion: live.metadata.resourceVersion ?? '' });
          return { object: asKObject(gone), created: false };
        } catch (err) {
          if (isRetryable(err) && attempt < 16) continue;
          throw this.mapError(err, name);
        }
      }
      if (semanticallyEqual(next, live) && isDeepStrictEqual(stripTimes(next.metadata.managedFields), stripTimes(live.metadata.managedFields))) {
        return { object: live, created: false };
      }
      if (opts.dryRun) return { object: { ...next, metadata: { ...next.metadata, resourceVersion: live.metadata.resourceVersion } }, created: false };
      try {
        const stored = await this.storage.update(key, next, { resourceVersion: live.metadata.resourceVersion ?? '' });
        return { object: asKObject(stored), created: false };
      } catch (err) {
        // A concurrent writer moved the object between our read and write: re-run the
        // mutation on the fresh object unless the caller pinned a resourceVersion.
        if (isRetryable(err) && !wantRV && attempt < 16) continue;
        throw this.mapError(err, name);
      }
    }
  }

  /** Remove an object from storage unconditionally (cascading cleanup; no finalizers). */
  async storageDelete(cluster: string, namespace: string, name: string): Promise<void> {
    try {
      await this.storage.delete(this.key(cluster, namespace, name));
    } catch (err) {
      throw this.mapError(err, name);
    }
  }

  /** Delete, honouring finalizers: with finalizers the object only gets a deletionTimestamp. */
  async delete(cluster: string, namespace: string, name: string, pre: Preconditions, opts: WriteOptions = {}): Promise<DeleteResult> {
    const key = this.key(cluster, namespace, name);
    for (let attempt = 0; ; attempt++) {
      const live = await this.get(cluster, namespace, name);
      if (pre.uid && pre.uid !== live.metadata.uid) throw conflictUID(this.def, name, pre.uid, live.metadata.uid ?? '');
      if (pre.resourceVersion && pre.resourceVersion !== live.metadata.resourceVersion) {
        throw new StatusError(
          'Conflict',
          `Operation cannot be fulfilled on ${qualified(this.def)} "${name}": the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${live.metadata.resourceVersion}). The object might have been modified`,
          { name, group: this.def.group, kind: this.def.plural },
        );
      }
      const finalizers = live.metadata.finalizers ?? [];
      if (finalizers.length > 0) {
        if (live.metadata.deletionTimestamp) return { object: live, deleted: false };
        const next = clone(live);
        next.metadata.deletionTimestamp = rfc3339(this.now());
        next.metadata.deletionGracePeriodSeconds = 0;
        delete next.metadata.resourceVersion;
        if (opts.dryRun) return { object: next, deleted: false };
        try {
          return { object: asKObject(await this.storage.update(key, next, { resourceVersion: live.metadata.resourceVersion ?? '' })), deleted: false };
        } catch (err) {
          if (isRetryable(err) && attempt < 16) continue;
          throw this.mapError(err, name);
        }
      }
      if (opts.dryRun) return { object: live, deleted: true };
      try {
        return { object: asKObject(await this.storage.delete(key, { resourceVersion: live.metadata.resourceVersion ?? '' })), deleted: true };
      } catch (err) {
        if (isRetryable(err) && !pre.resourceVersion && attempt < 16) continue;
        throw this.mapError(err, name);
      }
    }
  }
}

function stripTimes(mf: Record<string, unknown>[] | undefined): unknown {
  return (mf ?? []).map(({ time: _t, ...rest }) => rest);
}

function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'Conflict';
}

function qualified(def: ResourceDefinition): string {
  return def.group === '' ? def.plural : `${def.plural}.${def.group}`;
}

function conflict(def: ResourceDefinition, name: string): StatusError {
  return new StatusError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: def.group, kind: def.plural },
  );
}

function conflictUID(def: ResourceDefinition, name: string, want: string, have: string): StatusError {
  return new StatusError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(def)} "${name}": Precondition failed: UID in precondition: ${want}, UID in object meta: ${have}`,
    { name, group: def.group, kind: def.plural },
  );
}
