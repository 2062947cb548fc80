// Field ownership (metadata.managedFields) for every write, and server-side apply.
// Interim: until pkg/server/apply lands, apply is a merge without conflict detection and
// managedFields are carried over unchanged.
import { applyMergePatch } from '../patch/merge-patch.ts';
import { asKObject, clone, type KObject } from '../registry/object.ts';
import type { HandlerContext } from './context.ts';

export function recordManagedFields(_ctx: HandlerContext, live: KObject | undefined, _next: KObject, _manager: string, _sub: string): Record<string, unknown>[] | undefined {
  return live?.metadata.managedFields;
}

export function applyConfiguration(_ctx: HandlerContext, live: KObject | undefined, applied: KObject, _manager: string, _force: boolean, _sub: string): KObject {
  if (!live) return applied;
  return asKObject(applyMergePatch(clone(live), applied));
}
