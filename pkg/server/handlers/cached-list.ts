// Lists the watch cache may answer, as kube-apiserver does: resourceVersion=0 ("any") and
// resourceVersion=N without resourceVersionMatch=Exact ("not older than N"), unpaginated.
// Everything else — consistent reads (no resourceVersion), Exact, limit, continue — goes to
// storage. undefined means "not from the cache" (not cacheable, no cache, or cache behind N).
import type { HandlerContext } from './context.ts';
import { requestFilter } from './filter.ts';
import { type ListPage, scopeOf } from './list-page.ts';

export function cacheableMinRevision(url: URL): number | undefined {
  const rv = url.searchParams.get('resourceVersion');
  if (rv === null || rv === '' || !/^\d+$/.test(rv)) return undefined;
  if (url.searchParams.get('resourceVersionMatch') === 'Exact') return undefined;
  const limit = url.searchParams.get('limit');
  if ((limit !== null && limit !== '' && limit !== '0') || url.searchParams.get('continue')) return undefined;
  return Number(rv);
}

export async function listFromCache(ctx: HandlerContext): Promise<ListPage | undefined> {
  const minRevision = cacheableMinRevision(ctx.url);
  if (minRevision === undefined) return undefined;
  const cached = await ctx.store.listCached(scopeOf(ctx), minRevision);
  if (!cached) return undefined;
  const filter = requestFilter(ctx);
  return { items: filter.empty ? cached.items : cached.items.filter((o) => filter.matches(o)), revision: cached.revision };
}
