// One downstream copy's status → its upstream object's /status. One JSON Patch `add /status`
// (replaces the whole status: the physical cluster owns it), sent only when different.
import { isDeepStrictEqual } from 'node:util';
import { isNotFound } from '../../client/errors.ts';
import type { SyncContext, TypeInformers } from '../shared/context.ts';
import { isOurs, locatorOf } from '../shared/locator.ts';
import { isPlaced } from '../shared/placement.ts';

export async function reconcileStatus(ctx: SyncContext, t: TypeInformers, downstreamNamespace: string, name: string, signal: AbortSignal): Promise<void> {
  const down = t.down.lister.cluster('').namespace(downstreamNamespace).get(name);
  if (!down || down.status === undefined) return;
  const loc = locatorOf(ctx.downNamespaces.lister.cluster('').get(downstreamNamespace)?.metadata.annotations);
  if (!isOurs(loc, ctx.me)) return;
  const up = t.up.lister.cluster(loc.cluster).namespace(loc.namespace).get(name);
  // Only objects still placed here: a leaving object's downstream status is no longer news.
  if (!up || !isPlaced(up, ctx.me.key)) return;
  if (isDeepStrictEqual(up.status, down.status)) return;
  try {
    await ctx.upstream.cluster(loc.cluster).resource(t.type.gvr, loc.namespace).patchStatus(name, 'json', [{ op: 'add', path: '/status', value: down.status }], { signal });
  } catch (err) {
    // Deleted upstream meanwhile: its informer event settles the rest.
    if (!isNotFound(err)) throw err;
  }
}
