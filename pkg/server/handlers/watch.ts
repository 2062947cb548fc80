// Watch streams: newline-delimited JSON events ({"type","object"}), synthetic ADDED events
// for "" / "0", replay after resourceVersion N, 410 Expired as an ERROR event, bookmarks,
// label/field selector transitions (an object leaving the selector is DELETED for this
// watcher), Table-encoded objects for kubectl, and timeoutSeconds. Events are written with
// backpressure (httpx/event-stream.ts): a client that stops reading is disconnected.
import { groupVersion } from '../../../apis/resource.ts';
import { newBadRequest, StatusError } from '../../apierrors/errors.ts';
import { isStorageError } from '../../storage/errors.ts';
import type { WatchEvent } from '../../storage/interface.ts';
import { availabilityMetrics } from '../httpx/availability-metrics.ts';
import { EventStream } from '../httpx/event-stream.ts';
import { acceptedForm } from '../httpx/negotiate.ts';
import { toStatusError } from '../httpx/respond.ts';
import { asKObject, type KObject } from '../registry/object.ts';
import { toTable } from '../table/index.ts';
import { type HandlerContext, queryFlag } from './context.ts';
import { requestFilter } from './filter.ts';
import { recentEncodings } from '../../storage/recent-encodings.ts';
import { eventLine, SharedEventLines } from './watch-encoding.ts';
import { listFromCache } from './cached-list.ts';
import { endWatchFromFuture } from './watch-future.ts';
import { scopeOf } from './list-page.ts';
import { includeObjectOf, listMatching, withTypeMeta } from './read.ts';

/** Like kube-apiserver's --min-request-timeout: watches end after 30–60 minutes. */
const MIN_WATCH_SECONDS = 1800;

type OutType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

function parseTimeout(url: URL): number {
  const v = url.searchParams.get('timeoutSeconds');
  if (v === null || v === '') return MIN_WATCH_SECONDS * (1 + Math.random());
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw newBadRequest(`timeoutSeconds must be a non-negative integer, got "${v}"`);
  return n === 0 ? MIN_WATCH_SECONDS * (1 + Math.random()) : n;
}

function parseStartRV(url: URL): number | undefined {
  const rv = url.searchParams.get('resourceVersion');
  if (rv === null || rv === '' || rv === '0') return undefined;
  if (!/^\d+$/.test(rv)) throw newBadRequest(`invalid resourceVersion "${rv}"`);
  return Number(rv);
}

export async function handleWatch(ctx: HandlerContext): Promise<void> {
  const { url, res, def } = ctx;
  const filter = requestFilter(ctx);
  const timeoutMs = parseTimeout(url) * 1000;
  const startRV = parseStartRV(url);
  const bookmarks = queryFlag(url, 'allowWatchBookmarks');
  const asTable = acceptedForm(ctx.req.headers.accept).table;
  const includeObject = includeObjectOf(url);
  if (await endWatchFromFuture(ctx, startRV, asTable ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json')) return;

  // Everything that can fail with a plain HTTP error happens before the 200 goes out.
  let initial: KObject[] = [];
  let from: number;
  if (startRV === undefined) {
    // resourceVersion=0 ("any"): the synthetic ADDED events may come from the watch cache.
    const page = (await listFromCache(ctx)) ?? (await listMatching(ctx, 0, undefined, undefined));
    initial = page.items;
    from = page.revision;
  } else {
    from = startRV;
  }
  let watcher;
  try {
    watcher = await ctx.store.watch(scopeOf(ctx), from, bookmarks);
  } catch (err) {
    const se = toStatusError(err);
    if (se.reason !== 'Expired') throw se;
    // kube answers an expired watch with 200 and a single ERROR event.
    startStream(ctx, asTable);
    writeEvent(ctx, 'ERROR', se.toStatus() as unknown as Record<string, unknown>);
    res.end();
    return;
  }

  startStream(ctx, asTable);
  const stream = new EventStream(res);
  // Write one event, then wait while the client is behind; false ends the watch.
  const emit = async (type: OutType, line: Buffer): Promise<boolean> => {
    stream.write(line);
    const state = await stream.settle();
    if (state === 'slow') {
      availabilityMetrics().watcherTerminated(def.group, def.plural);
      ctx.logger.warn('watch closed: the client does not read fast enough', {
        path: url.pathname,
        user: ctx.user.username,
        bufferedBytes: stream.buffered,
        peakBufferedBytes: stream.peakBuffered,
      });
    }
    return state === 'ok';
  };
  let headersSent = false;
  const encode = (type: OutType, obj: KObject): Buffer => {
    // The bytes the backend stored for a live write's event, with its revision spliced in, when
    // it remembers them (pkg/storage/recent-encodings.ts); otherwise encoded here.
    if (!asTable) return sharedLines.get(type, obj, () => recentEncodings.jsonOf(obj) ?? JSON.stringify(withTypeMeta(ctx, obj)));
    const t = toTable(def, [obj], { includeObject, now: ctx.now(), noHeaders: headersSent });
    headersSent = true;
    return Buffer.from(eventLine(type, JSON.stringify(t)));
  };

  let closed = false;
  const stop = () => {
    if (closed) return;
    closed = true;
    watcher.close();
  };
  const timer = setTimeout(stop, timeoutMs);
  timer.unref();
  ctx.req.on('close', stop);
  res.on('close', stop);
  ctx.shutdown.addEventListener('abort', stop, { once: true });

  try {
    let live = true;
    for (const obj of initial) if (!(live = await emit('ADDED', encode('ADDED', obj)))) break;
    if (live) {
      for await (const ev of watcher) {
        if (closed) break;
        if (ev.type === 'BOOKMARK') {
          const mark = { kind: def.kind, apiVersion: groupVersion(def), metadata: { resourceVersion: String(ev.revision) } };
          if (bookmarks && !(await emit('BOOKMARK', Buffer.from(eventLine('BOOKMARK', JSON.stringify(mark)))))) break;
          continue;
        }
        const out = project(ev, filter.empty ? undefined : filter.matches);
        if (out && !(await emit(out.type, encode(out.type, out.object)))) break;
      }
    }
  } catch (err) {
    if (!closed) {
      const se = isStorageError(err, 'Expired') ? new StatusError('Expired', err.message) : toStatusError(err);
      if (se.code >= 500) ctx.logger.error('watch failed', { path: url.pathname, err: String(err) });
      writeEvent(ctx, 'ERROR', se.toStatus() as unknown as Record<string, unknown>);
    }
  } finally {
    clearTimeout(timer);
    stop();
    if (!res.writableEnded) res.end();
  }
}

function startStream(ctx: HandlerContext, asTable: boolean): void {
  ctx.res.statusCode = 200;
  ctx.res.setHeader('Content-Type', asTable ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json');
  ctx.res.setHeader('Cache-Control', 'no-cache, private');
  ctx.res.flushHeaders();
}

/** Recent events' lines, shared by all watchers (16 MiB: a few versions of large objects). */
const sharedLines = new SharedEventLines(16 * 1024 * 1024);

/** A single event outside the stream's flow control (the last one before the end). */
function writeEvent(ctx: HandlerContext, type: OutType, object: Record<string, unknown>): void {
  if (ctx.res.writableEnded || ctx.res.destroyed) return;
  ctx.res.write(eventLine(type, JSON.stringify(object)));
}

/**
 * Map a storage event onto what a watcher with this selector should see: objects entering
 * the selector are ADDED, leaving it DELETED, otherwise the event passes through or is dropped.
 * Without a selector (`matches` undefined) every event passes as it is, and the previous
 * version, which may have to be decoded, is never looked at.
 */
export function project(ev: WatchEvent, matches: ((o: KObject) => boolean) | undefined): { type: OutType; object: KObject } | undefined {
  const cur = asKObject(ev.object);
  if (matches === undefined) return { type: ev.type, object: cur };
  if (ev.type === 'ADDED') return matches(cur) ? { type: 'ADDED', object: cur } : undefined;
  if (ev.type === 'DELETED') {
    const last = ev.prevObject ? asKObject({ ...ev.prevObject, metadata: { ...ev.prevObject.metadata, resourceVersion: cur.metadata.resourceVersion } }) : cur;
    return matches(last) || matches(cur) ? { type: 'DELETED', object: cur } : undefined;
  }
  const nowMatches = matches(cur);
  const prevMatched = ev.prevObject ? matches(asKObject(ev.prevObject)) : nowMatches;
  if (nowMatches && prevMatched) return { type: 'MODIFIED', object: cur };
  if (nowMatches) return { type: 'ADDED', object: cur };
  if (prevMatched) return { type: 'DELETED', object: cur };
  return undefined;
}
