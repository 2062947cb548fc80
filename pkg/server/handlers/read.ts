// GET of one object and of collections (list), with Table printing when kubectl asks.
import { groupVersion } from '../../../apis/resource.ts';
import { newBadRequest } from '../../apierrors/errors.ts';
import { writeBytes, writeJSON } from '../httpx/respond.ts';
import { EncodedObjects } from '../httpx/encoded-objects.ts';
import { writeJSONList } from '../httpx/stream-list.ts';
import { acceptedForm } from '../httpx/negotiate.ts';
import type { KObject } from '../registry/object.ts';
import { toTable, type IncludeObject } from '../table/index.ts';
import type { HandlerContext } from './context.ts';
import { requestFilter } from './filter.ts';
import { requireInView } from './view.ts';
import { listFromCache } from './cached-list.ts';
import { type ListPage, scopeOf } from './list-page.ts';

export function includeObjectOf(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject');
  if (v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw newBadRequest(`includeObject must be one of None, Metadata, Object`);
}

/**
 * The last objects answered, by identity: a no-op patch answers with the watch cache's copy,
 * the same object until its next write. 512 covers the beating targets of a busy server; each
 * entry is one object's JSON (a few KiB).
 */
const answered = new EncodedObjects(512);

/** Reply with one object, as a one-row Table when the client asked for tables. */
export function respondObject(ctx: HandlerContext, code: number, obj: KObject): void {
  if (acceptedForm(ctx.req.headers.accept).table) {
    const table = toTable(ctx.def, [obj], { includeObject: includeObjectOf(ctx.url), now: ctx.now() });
    if (obj.metadata.resourceVersion) table.metadata.resourceVersion = obj.metadata.resourceVersion;
    writeJSON(ctx.res, code, table);
    return;
  }
  writeBytes(ctx.res, code, answered.encode(withTypeMeta(ctx, obj)));
}

export function withTypeMeta(ctx: HandlerContext, obj: KObject): KObject {
  if (obj.apiVersion && obj.kind) return obj;
  return { apiVersion: groupVersion(ctx.def), kind: ctx.def.kind, ...obj };
}

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const { info, def, store } = ctx;
  if (info.subresource && !(info.subresource === 'status' && def.subresources.status)) {
    throw newBadRequest(`subresource "${info.subresource}" is not supported on ${def.plural}`);
  }
  const obj = await store.get(info.cluster, info.namespace, info.name);
  requireInView(ctx, obj);
  respondObject(ctx, 200, obj);
}

function parseLimit(url: URL): number {
  const v = url.searchParams.get('limit');
  if (v === null || v === '') return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw newBadRequest(`limit must be a non-negative integer, got "${v}"`);
  return n;
}

/**
 * Which revision to read. "" and "0" (any) and N without resourceVersionMatch (not older
 * than) are served at the latest revision, which satisfies all three; Exact reads at N.
 */
function listRevision(url: URL): number | undefined {
  const rv = url.searchParams.get('resourceVersion');
  const match = url.searchParams.get('resourceVersionMatch');
  if (rv !== null && rv !== '' && !/^\d+$/.test(rv)) throw newBadRequest(`invalid resourceVersion "${rv}"`);
  if (match === null || match === '' || match === 'NotOlderThan') return undefined;
  if (match !== 'Exact') throw newBadRequest(`resourceVersionMatch must be Exact or NotOlderThan, got "${match}"`);
  if (rv === null || rv === '' || rv === '0') throw newBadRequest(`resourceVersionMatch=Exact requires a non-zero resourceVersion`);
  return Number(rv);
}

/**
 * Read one page of matching objects. Storage pages before filtering, so keep asking for
 * exactly as many as are still missing: the continue token then never skips a match.
 */
export async function listMatching(ctx: HandlerContext, limit: number, cont: string | undefined, revision: number | undefined): Promise<ListPage> {
  const filter = requestFilter(ctx);
  const scope = scopeOf(ctx);
  const items: KObject[] = [];
  let token = cont;
  let rev = revision;
  for (;;) {
    const want = limit > 0 ? limit - items.length : 0;
    const page = await ctx.store.listPage(scope, { ...(want > 0 ? { limit: want } : {}), ...(token ? { continue: token } : {}), ...(rev !== undefined && !token ? { revision: rev } : {}) });
    rev = page.revision;
    for (const obj of page.items) if (filter.matches(obj)) items.push(obj);
    token = page.continue;
    if (!token || (limit > 0 && items.length >= limit)) {
      const result: ListPage = { items, revision: page.revision };
      if (token) result.continue = token;
      if (token && filter.empty && page.remainingItemCount !== undefined) result.remainingItemCount = page.remainingItemCount;
      return result;
    }
  }
}

export async function handleList(ctx: HandlerContext): Promise<void> {
  const limit = parseLimit(ctx.url);
  const cont = ctx.url.searchParams.get('continue') || undefined;
  const revision = listRevision(ctx.url);
  // resourceVersion=0 / not-older-than lists come from the watch cache when it can answer.
  const page = (await listFromCache(ctx)) ?? (await listMatching(ctx, limit, cont, revision));
  const listMeta: Record<string, unknown> = { resourceVersion: String(page.revision) };
  if (page.continue) listMeta.continue = page.continue;
  if (page.remainingItemCount !== undefined) listMeta.remainingItemCount = page.remainingItemCount;
  // Streamed item by item: a list may be larger than any one string can be (httpx/stream-list.ts).
  if (acceptedForm(ctx.req.headers.accept).table) {
    const { rows, ...table } = toTable(ctx.def, page.items, { includeObject: includeObjectOf(ctx.url), now: ctx.now() });
    table.metadata = listMeta;
    await writeJSONList(ctx.res, 200, table, 'rows', rows);
    return;
  }
  const envelope = { kind: ctx.def.listKind, apiVersion: groupVersion(ctx.def), metadata: listMeta };
  await writeJSONList(ctx.res, 200, envelope, 'items', page.items, (o) => withTypeMeta(ctx, o));
}
