// Request info filter: parse method + path into a RequestInfo (cluster, verb, resource, …)
// before anything else decides about the request. A path that cannot be parsed (bad cluster
// name, a write to the wildcard cluster) is answered here with its 400/405 Status.
// Under a syncer view root (`/services/syncer/<ws>/<name>/<uid>/…`) the root is split off,
// the rest is parsed like any path and the view is recorded in `info.view`; `url` is then the
// rest (what the handlers route on), while `req.url` keeps what the client sent (log, audit).
import { writeError, toStatusError } from '../httpx/respond.ts';
import { parseRequestInfo, type RequestInfo } from '../request/requestinfo.ts';
import { isSyncerViewPath, splitSyncerViewPath } from '../syncerview/path.ts';
import { extend, type Filter, type InfoContext, type RequestContext } from './context.ts';

export function withRequestInfo(): Filter<RequestContext, InfoContext> {
  return (next) => async (c) => {
    let url = new URL(c.req.url ?? '/', 'https://kplane.invalid');
    let info: RequestInfo;
    try {
      if (isSyncerViewPath(url.pathname)) {
        const { view, rest } = splitSyncerViewPath(url.pathname);
        url = new URL(url.toString());
        url.pathname = rest;
        info = { ...parseRequestInfo(c.req.method ?? 'GET', url), view };
      } else {
        info = parseRequestInfo(c.req.method ?? 'GET', url);
      }
    } catch (err) {
      writeError(c.res, toStatusError(err));
      return;
    }
    await next(extend(c, { url, info }));
  };
}

/** Long-running requests (kube's LongRunningRequestCheck): only watches here. */
export function isLongRunning(info: RequestInfo): boolean {
  return info.isResourceRequest && info.verb === 'watch';
}
