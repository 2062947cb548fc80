// Event handler shapes, as client-go's ResourceEventHandler.
import type { KubeObject } from '../client/object.ts';

/** A delete the informer inferred on relist without seeing the final state (client-go's tombstone). */
export class DeletedFinalStateUnknown<T extends KubeObject> {
  readonly key: string;
  readonly obj: T;
  constructor(key: string, obj: T) {
    this.key = key;
    this.obj = obj;
  }
}

export interface EventHandler<T extends KubeObject> {
  /** isInInitialList: the object came from the first list, not a live event. */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /**
   * A watch MODIFIED event, or a relist that found a newer resourceVersion. The informer has no
   * periodic resync: that safety net is the controller manager's cron job (reconciler/manager.ts).
   */
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

/** The object inside a delete notification, tombstone or not. */
export function deletedObject<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}
