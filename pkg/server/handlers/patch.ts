// PATCH: JSON merge patch, JSON patch, strategic merge patch (built-in types only; 415 for
// ours, as kube answers for custom resources) and server-side apply. Patches are applied to
// the live object inside the store's retry loop; the patched object then goes through
// admission like any update. A resourceVersion inside the patch is a precondition.
import { newBadRequest, newInvalid, StatusError } from '../../apierrors/errors.ts';
import { mediaType, parseJSON, parseYAML, readBody } from '../httpx/body.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch, mergePatchChanges } from '../patch/merge-patch.ts';
import { deepEqual } from '../patch/json-value.ts';
import { isPatchError, KUBE_GENERIC_INVALID_MESSAGE, type PatchError } from '../patch/errors.ts';
import { asKObject, clone, isPlainObject, type KObject, putManagedFields } from '../registry/object.ts';
import { applyStrategic, serverSideApply } from './patchtypes.ts';
import { admitObject, fieldValidationOf } from './admit.ts';
import { type HandlerContext, fieldManager, isDryRun, queryFlag } from './context.ts';
import { unsupportedMediaType } from './decode.ts';
import { recordManagedFields } from './managedfields.ts';
import { respondObject } from './read.ts';
import { confineMutator } from './view.ts';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const { info, def, store } = ctx;
  const sub = info.subresource;
  if (sub !== '' && !(sub === 'status' && def.subresources.status)) throw newBadRequest(`subresource "${sub}" is not supported on ${def.plural}`);
  const type = mediaType(ctx.req.headers['content-type']);
  const accepted = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH, ...(def.strategicMergePatch ? [STRATEGIC_PATCH] : [])];
  if (!accepted.includes(type)) throw unsupportedMediaType(type, accepted);
  const isApply = type === APPLY_PATCH;
  const force = ctx.url.searchParams.get('force');
  if (force !== null && !isApply) {
    throw new StatusError('Invalid', `PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch`);
  }
  const manager = fieldManager(ctx);
  if (isApply && !ctx.url.searchParams.get('fieldManager')) {
    throw newInvalid('meta.k8s.io', 'PatchOptions', '', [
      { reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' },
    ]);
  }
  const validation = fieldValidationOf(ctx.url);
  const dryRun = isDryRun(ctx.url);
  const text = (await readBody(ctx.req)).toString('utf8');
  const patch = isApply ? parseYAML(text) : parseJSON(text);
  if (type !== JSON_PATCH && !isPlainObject(patch)) throw newBadRequest('the patch must be a JSON object');
  if (type === JSON_PATCH && !Array.isArray(patch)) throw newBadRequest('a JSON patch must be an array of operations');

  // The mutator runs again when its write loses a race. The first run may take the parsed
  // patch itself (server-side apply changes what it is given); a later one parses the text
  // anew, which is cheaper than a structured clone made up front for every apply.
  let patchUnused = true;
  const result = await store.update(
    info.cluster,
    info.namespace,
    info.name,
    confineMutator(ctx, (live) => {
      if (isApply) {
        const fresh = patchUnused ? patch : parseYAML(text);
        patchUnused = false;
        const applied = asKObject(fresh as Record<string, unknown>);
        checkApplyIdentity(ctx, applied);
        const out = serverSideApply(ctx, live, applied, manager, queryFlag(ctx.url, 'force'), sub);
        const admitted = admitObject(ctx, out, live, validation, true);
        putManagedFields(admitted.metadata, out.metadata.managedFields);
        return admitted;
      }
      const base = live!;
      // A patch that changes nothing (a syncer's heartbeat within the same second, a
      // controller's idempotent patch) is answered with the live object: admission of an
      // object it already admitted, and ownership of no changed field, would give back the
      // live object, and the store writes nothing for it. A resourceVersion precondition in
      // the patch makes it differ from the live object, so it still gets its 409. A merge
      // patch is judged by walking the patch alone; the others on their result.
      let patched: unknown;
      try {
        if (type === MERGE_PATCH && !mergePatchChanges(base, patch)) return base;
        // None of them modifies base, the live object.
        if (type === JSON_PATCH) patched = applyJsonPatch(base, patch);
        else if (type === MERGE_PATCH) patched = applyMergePatch(base, patch);
        else patched = applyStrategic(ctx, clone(base), patch as Record<string, unknown>);
      } catch (err) {
        throw patchErrorToStatus(ctx, err);
      }
      if (!isPlainObject(patched)) throw newBadRequest('the patched object is not a JSON object');
      if (type !== MERGE_PATCH && deepEqual(patched, base)) return base;
      const obj = asKObject(patched);
      if (obj.metadata.name !== base.metadata.name) throw newBadRequest('metadata.name cannot be changed by a patch');
      const admitted = admitObject(ctx, obj, live, validation);
      // A resourceVersion the patch set is the precondition. One merely kept from the live
      // object is not (kube retries such a patch on a fresh read instead of answering 409).
      admitted.metadata.resourceVersion = obj.metadata.resourceVersion !== base.metadata.resourceVersion ? obj.metadata.resourceVersion : undefined;
      // managedFields a patch rewrote (kubectl's client-side-apply upgrade) are honoured.
      putManagedFields(admitted.metadata, recordManagedFields(ctx, live, { ...admitted, metadata: { ...admitted.metadata, managedFields: obj.metadata.managedFields } }, manager, sub));
      return admitted;
    }),
    { dryRun, subresource: sub, allowCreate: isApply && sub === '', requester: ctx.user },
  );
  respondObject(ctx, result.created ? 201 : 200, result.object);
}

function checkApplyIdentity(ctx: HandlerContext, applied: KObject): void {
  const gv = ctx.def.group === '' ? ctx.def.version : `${ctx.def.group}/${ctx.def.version}`;
  if (applied.apiVersion !== gv || applied.kind !== ctx.def.kind) {
    throw newBadRequest(`apply patches must name apiVersion "${gv}" and kind "${ctx.def.kind}"`);
  }
  if (applied.metadata.name !== undefined && applied.metadata.name !== ctx.info.name) {
    throw newBadRequest(`the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${ctx.info.name})`);
  }
  if (ctx.def.namespaced && applied.metadata.namespace && applied.metadata.namespace !== ctx.info.namespace) {
    throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (ctx.def.namespaced) applied.metadata.namespace = ctx.info.namespace;
}

export function patchErrorToStatus(ctx: HandlerContext, err: unknown): unknown {
  if (!isPatchError(err)) return err;
  const e: PatchError = err;
  switch (e.kind) {
    case 'BadRequest':
      return newBadRequest(e.message);
    case 'RequestEntityTooLarge':
      return new StatusError('RequestEntityTooLarge', e.message);
    case 'Conflict':
      return new StatusError('Conflict', e.message);
    case 'Invalid':
      return new StatusError('Invalid', `${KUBE_GENERIC_INVALID_MESSAGE}: ${e.message}`, {
        name: ctx.info.name,
        group: ctx.def.group,
        kind: ctx.def.kind,
        causes: [{ reason: 'FieldValueInvalid', message: e.message, field: e.field ?? '' }],
      });
  }
}
