// DELETE of one object (finalizer-aware; reply shapes in delete-reply.ts) and of collections.
import { groupVersion } from '../../../apis/resource.ts';
import { newBadRequest, newMethodNotAllowed, StatusError } from '../../apierrors/errors.ts';
import { mediaType, parseJSON, readBody, requireObject } from '../httpx/body.ts';
import { writeJSON } from '../httpx/respond.ts';
import type { Preconditions } from '../registry/store.ts';
import { type HandlerContext, isDryRun } from './context.ts';
import { listMatching, withTypeMeta } from './read.ts';
import { respondDeleted } from './delete-reply.ts';

interface DeleteOptions {
  preconditions: Preconditions;
  dryRun: boolean;
}

async function readDeleteOptions(ctx: HandlerContext): Promise<DeleteOptions> {
  const body = await readBody(ctx.req);
  const opts: DeleteOptions = { preconditions: {}, dryRun: isDryRun(ctx.url) };
  if (body.length === 0) return opts;
  const type = mediaType(ctx.req.headers['content-type']);
  if (type !== '' && type !== 'application/json') {
    throw new StatusError('UnsupportedMediaType', `DeleteOptions must be sent as application/json, got "${type}"`);
  }
  const parsed = requireObject(parseJSON(body.toString('utf8')), 'DeleteOptions');
  const pre = parsed.preconditions;
  if (pre !== undefined && pre !== null) {
    const p = requireObject(pre, 'DeleteOptions.preconditions');
    if (p.uid !== undefined && p.uid !== null) opts.preconditions.uid = String(p.uid);
    if (p.resourceVersion !== undefined && p.resourceVersion !== null) opts.preconditions.resourceVersion = String(p.resourceVersion);
  }
  if (Array.isArray(parsed.dryRun)) {
    for (const d of parsed.dryRun) if (d !== 'All') throw newBadRequest(`dryRun must be "All", got "${String(d)}"`);
    if (parsed.dryRun.includes('All')) opts.dryRun = true;
  }
  const policy = parsed.propagationPolicy;
  if (policy !== undefined && policy !== null && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
    throw newBadRequest(`propagationPolicy must be Background, Foreground or Orphan, got "${String(policy)}"`);
  }
  return opts;
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const { info, store } = ctx;
  if (info.subresource) throw newMethodNotAllowed(`DELETE is not supported on subresource "${info.subresource}"`);
  const opts = await readDeleteOptions(ctx);
  // The store runs the resource's cleanup wherever a deletion completes (registry/strategy.ts).
  const result = await store.delete(info.cluster, info.namespace, info.name, opts.preconditions, { dryRun: opts.dryRun });
  respondDeleted(ctx, result);
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const { info, def, store } = ctx;
  const opts = await readDeleteOptions(ctx);
  const page = await listMatching(ctx, 0, undefined, undefined);
  const items = [];
  for (const obj of page.items) {
    try {
      const r = await store.delete(info.cluster, obj.metadata.namespace ?? '', obj.metadata.name ?? '', {}, { dryRun: opts.dryRun });
      items.push(withTypeMeta(ctx, r.object));
    } catch (err) {
      // Deleted concurrently: that is what the caller wanted.
      if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
    }
  }
  writeJSON(ctx.res, 200, { kind: def.listKind, apiVersion: groupVersion(def), metadata: { resourceVersion: String(page.revision) }, items });
}
