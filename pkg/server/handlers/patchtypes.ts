// Adapters from the handlers to the patch and apply libraries.
import { newBadRequest, StatusError } from '../../apierrors/errors.ts';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.ts';
import { strategicSchemaFor } from '../patch/strategic-schema.ts';
import { asKObject, type KObject } from '../registry/object.ts';
import type { HandlerContext } from './context.ts';
import { groupVersion } from '../../../apis/resource.ts';
import { applyConfiguration } from './managedfields.ts';

export function applyStrategic(ctx: HandlerContext, base: KObject, patch: Record<string, unknown>): KObject {
  const schema = strategicSchemaFor(groupVersion(ctx.def), ctx.def.kind);
  if (!schema) throw new StatusError('UnsupportedMediaType', `strategic merge patch is not supported for ${ctx.def.kind}`);
  return asKObject(applyStrategicMergePatch(base, patch, schema));
}

export function serverSideApply(ctx: HandlerContext, live: KObject | undefined, applied: KObject, manager: string, force: boolean, sub: string): KObject {
  if (!manager) throw newBadRequest('fieldManager is required for apply');
  return applyConfiguration(ctx, live, applied, manager, force, sub);
}
