// The `scale` subresource (autoscaling/v1 Scale) of resources that declare one (Deployment):
// GET reads the Scale view of the object; PUT and PATCH (merge, JSON, strategic) change the
// desired replicas and nothing else. This is what `kubectl scale`, HPA-style clients and the
// Python client's patch_namespaced_deployment_scale talk to. Authorization sees the
// subresource (`deployments/scale`), as RBAC rules name it.
import { SCALE_GROUP, SCALE_KIND, SCALE_PRINTER_COLUMNS, SCALE_VERSION } from '../../../apis/autoscaling/v1/scale.ts';
import type { ScaleSubresource } from '../../../apis/resource.ts';
import { newBadRequest, newInvalid, newMethodNotAllowed } from '../../apierrors/errors.ts';
import { mediaType, parseJSON, readBody } from '../httpx/body.ts';
import { acceptedForm } from '../httpx/negotiate.ts';
import { writeJSON } from '../httpx/respond.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { asKObject, clone, isPlainObject, type KObject, putManagedFields } from '../registry/object.ts';
import { admitObject } from './admit.ts';
import { type HandlerContext, fieldManager, isDryRun } from './context.ts';
import { checkName, decodeObjectBody, unsupportedMediaType } from './decode.ts';
import { recordManagedFields } from './managedfields.ts';
import { patchErrorToStatus } from './patch.ts';
import { includeObjectOf } from './read.ts';
import { toTable } from '../table/index.ts';

const SCALE_API_VERSION = `${SCALE_GROUP}/${SCALE_VERSION}`;
const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';

function getPath(obj: Record<string, unknown>, path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) cur = isPlainObject(cur) ? cur[p] : undefined;
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = obj;
  for (const p of path.slice(0, -1)) {
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

/** The Scale view of an object (kube's scaleFromDeployment). */
export function toScale(scale: ScaleSubresource, obj: KObject): KObject {
  const m = obj.metadata;
  const metadata: Record<string, unknown> = { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  const specReplicas = getPath(obj, scale.specReplicasPath);
  const selector = scale.selector(obj);
  return {
    kind: SCALE_KIND,
    apiVersion: SCALE_API_VERSION,
    metadata: Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined)),
    // ScaleSpec.replicas is omitempty in autoscaling/v1; ScaleStatus.replicas is not.
    spec: typeof specReplicas === 'number' && specReplicas !== 0 ? { replicas: specReplicas } : {},
    status: { replicas: Number(getPath(obj, scale.statusReplicasPath) ?? 0), ...(selector ? { selector } : {}) },
  };
}

export async function handleScale(ctx: HandlerContext, scale: ScaleSubresource): Promise<void> {
  const { info, store } = ctx;
  switch (info.verb) {
    case 'get':
      return respondScale(ctx, toScale(scale, await store.get(info.cluster, info.namespace, info.name)));
    case 'update': {
      const body = await decodeObjectBody(ctx);
      checkScaleKind(body);
      checkName(ctx, body);
      return writeScale(ctx, scale, () => body, body.metadata.resourceVersion);
    }
    case 'patch': {
      const type = mediaType(ctx.req.headers['content-type']);
      if (type !== JSON_PATCH && type !== MERGE_PATCH && type !== STRATEGIC_PATCH) throw unsupportedMediaType(type, [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH]);
      const patch = parseJSON((await readBody(ctx.req)).toString('utf8'));
      if (type === JSON_PATCH ? !Array.isArray(patch) : !isPlainObject(patch)) throw newBadRequest(`the patch is not a valid ${type} document`);
      let precondition: string | undefined;
      const patched = (current: KObject): KObject => {
        let out: unknown;
        try {
          // A Scale has no lists, so a strategic merge patch is a merge patch here.
          out = type === JSON_PATCH ? applyJsonPatch(clone(current), patch) : applyMergePatch(clone(current), patch);
        } catch (err) {
          throw patchErrorToStatus(ctx, err);
        }
        if (!isPlainObject(out)) throw newBadRequest('the patched Scale is not a JSON object');
        const next = asKObject(out);
        checkScaleKind(next);
        if (next.metadata.name !== current.metadata.name) throw newBadRequest('metadata.name cannot be changed by a patch');
        // A resourceVersion the patch set is a precondition; one kept from the live object is not.
        precondition = next.metadata.resourceVersion !== current.metadata.resourceVersion ? next.metadata.resourceVersion : undefined;
        return next;
      };
      return writeScale(ctx, scale, patched, () => precondition);
    }
    default:
      throw newMethodNotAllowed(`${info.verb} is not supported on the scale subresource`);
  }
}

function checkScaleKind(obj: KObject): void {
  if ((obj.apiVersion ?? SCALE_API_VERSION) !== SCALE_API_VERSION || (obj.kind ?? SCALE_KIND) !== SCALE_KIND) {
    throw newBadRequest(`the body must be an ${SCALE_API_VERSION} Scale, got ${String(obj.apiVersion)} ${String(obj.kind)}`);
  }
}

/** Replicas from a Scale body: a non-negative integer (absent means 0, as Go's zero value). */
function desiredReplicas(ctx: HandlerContext, next: KObject): number {
  const replicas = isPlainObject(next.spec) ? (next.spec.replicas ?? 0) : 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw newInvalid('autoscaling', 'Scale', ctx.info.name, [
      { reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
    ]);
  }
  return replicas;
}

async function writeScale(
  ctx: HandlerContext,
  scale: ScaleSubresource,
  nextScale: (current: KObject) => KObject,
  precondition: string | undefined | (() => string | undefined),
): Promise<void> {
  const { info, store } = ctx;
  const manager = fieldManager(ctx);
  const result = await store.update(
    info.cluster,
    info.namespace,
    info.name,
    (live) => {
      const next = nextScale(toScale(scale, live!));
      const desired = clone(live!);
      setPath(desired, scale.specReplicasPath, desiredReplicas(ctx, next));
      const admitted = admitObject(ctx, desired, live, 'Ignore');
      admitted.metadata.resourceVersion = typeof precondition === 'function' ? precondition() : precondition;
      putManagedFields(admitted.metadata, recordManagedFields(ctx, live, admitted, manager, 'scale'));
      return admitted;
    },
    { dryRun: isDryRun(ctx.url), subresource: '' },
  );
  respondScale(ctx, toScale(scale, result.object));
}

/** The Scale, or its one-row Table (NAME, DESIRED, AVAILABLE) for `kubectl get --subresource=scale`. */
function respondScale(ctx: HandlerContext, obj: KObject): void {
  if (!acceptedForm(ctx.req.headers.accept).table) return writeJSON(ctx.res, 200, obj);
  const table = toTable({ printerColumns: SCALE_PRINTER_COLUMNS }, [obj], { includeObject: includeObjectOf(ctx.url), now: ctx.now() });
  if (obj.metadata.resourceVersion) table.metadata.resourceVersion = obj.metadata.resourceVersion;
  writeJSON(ctx.res, 200, table);
}
