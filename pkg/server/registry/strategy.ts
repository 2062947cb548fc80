// Per-resource behaviour of the generic store (kube's RESTCreateStrategy / RESTUpdateStrategy /
// RESTDeleteStrategy plus the store's AfterCreate/AfterDelete hooks). The store calls these on
// every path that writes — POST, PUT, PATCH, server-side apply creating an object, deletion
// completed by DELETE or by removing the last finalizer — so no handler can skip them.
import type { KObject } from './object.ts';

/** Who asks for a write, for strategies that record it (e.g. a Workspace's owner). */
export interface Requester {
  username: string;
  uid?: string;
  groups: string[];
}

export interface Strategy {
  /** Fill resource-specific fields of a new object (system status, annotations). Synchronous, no I/O. */
  prepareForCreate?(cluster: string, obj: KObject, requester: Requester | undefined): void;
  /**
   * Carry resource-specific system-owned fields from the live object into the next one.
   * `subresource` is '', 'status', or 'finalize' (the system's own update that may change them).
   */
  prepareForUpdate?(live: KObject, next: KObject, subresource: string): void;
  /** Read-only checks a create must pass (also on dry run), e.g. the namespace exists. */
  validateCreate?(cluster: string, namespace: string, obj: KObject): Promise<void>;
  /** Side effects right before a (non-dry-run) create is stored; may still edit obj. */
  beforeCreate?(cluster: string, namespace: string, obj: KObject): Promise<void>;
  /** After a create is stored. */
  afterCreate?(cluster: string, obj: KObject): Promise<void>;
  /**
   * A deletion is requested: mark obj (a copy of the live object) with whatever must happen
   * before it may go, e.g. a system finalizer and a Terminating phase.
   */
  prepareForDelete?(obj: KObject): void;
  /** Whether something beyond metadata.finalizers still holds the object (a namespace's spec.finalizers). */
  holdsDeletion?(obj: KObject): boolean;
  /** The object was just marked for deletion (deletionTimestamp stored). */
  afterDeletionStarted?(cluster: string, obj: KObject): Promise<void>;
  /** The object is gone from storage (by DELETE or by the removal of its last finalizer). */
  afterDelete?(cluster: string, obj: KObject): Promise<void>;
}

/** Reads that must not reach a logical cluster's previous incarnation (see lifecycle/incarnation.ts). */
export interface HistoryGuard {
  /** The oldest revision a read in this logical cluster may use; older ones are Expired. 0 = no limit. */
  birthRevision(cluster: string): Promise<number>;
}
