// What a list read returns and which part of storage it reads, shared by the storage path
// (read.ts), the watch cache path (cached-list.ts) and watch's initial list (watch.ts).
import type { KObject } from '../registry/object.ts';
import type { Scope } from '../registry/store.ts';
import type { HandlerContext } from './context.ts';

/** The storage scope of a request: every workspace for a wildcard request, else its own. */
export function scopeOf(ctx: HandlerContext): Scope {
  return { cluster: ctx.info.wildcard ? undefined : ctx.info.cluster, namespace: ctx.info.namespace };
}

export interface ListPage {
  items: KObject[];
  revision: number;
  continue?: string;
  remainingItemCount?: number;
}
