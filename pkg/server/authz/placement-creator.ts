// Placement strategy: record the creating user in PLACEMENT_CREATOR_ANNOTATION on every create
// path (a value the client sent is replaced) and carry the live value over on every update (a
// client cannot change or drop it). The Placement controller uses it to check, as that user,
// access to the Locations of another workspace — kcp's rule that the placing user must be
// allowed to use them.
import { PLACEMENT_CREATOR_ANNOTATION } from '../../../apis/scheduling/v1alpha1/creator.ts';
import type { KObject } from '../registry/object.ts';
import type { Requester, Strategy } from '../registry/strategy.ts';
import { ownerAnnotationValue } from './bootstrap.ts';

export function placementCreatorStrategy(): Strategy {
  return {
    prepareForCreate(_cluster: string, obj: KObject, requester: Requester | undefined): void {
      const annotations = { ...obj.metadata.annotations };
      if (requester) annotations[PLACEMENT_CREATOR_ANNOTATION] = ownerAnnotationValue(requester);
      else delete annotations[PLACEMENT_CREATOR_ANNOTATION];
      obj.metadata.annotations = annotations;
    },
    prepareForUpdate(live: KObject, next: KObject): void {
      const annotations = { ...next.metadata.annotations };
      const recorded = live.metadata.annotations?.[PLACEMENT_CREATOR_ANNOTATION];
      if (recorded === undefined) delete annotations[PLACEMENT_CREATOR_ANNOTATION];
      else annotations[PLACEMENT_CREATOR_ANNOTATION] = recorded;
      next.metadata.annotations = annotations;
    },
  };
}
