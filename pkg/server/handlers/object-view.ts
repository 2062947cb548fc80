// The interface of a restricted view of the API (the syncer view is the one today): which
// objects exist in it and which changes of them it allows. handlers/view.ts applies it.
import type { KObject } from '../registry/object.ts';

export interface ObjectView {
  /** Whether the object exists in the view. */
  contains(obj: KObject): boolean;
  /** Throws (a 403 StatusError) when the view does not allow this change of a contained object. */
  checkWrite(live: KObject, next: KObject, subresource: string): void;
}
