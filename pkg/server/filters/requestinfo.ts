// Request info filter: parse method + path into a RequestInfo (cluster, verb, resource, …)
// before anything else decides about the request. A path that cannot be parsed (bad cluster
// name, a write to the wildcard cluster) is answered here with its 400/405 Status.
import { writeError, toStatusError } from '../httpx/respond.ts';
import { parseRequestInfo, type RequestInfo } from '../request/requestinfo.ts';
import { extend, type Filter, type InfoContext, type RequestContext } from './context.ts';

export function withRequestInfo(): Filter<RequestContext, InfoContext> {
  return (next) => async (c) => {
    const url = new URL(c.req.url ?? '/', 'https://kplane.invalid');
    let info: RequestInfo;
    try {
      info = parseRequestInfo(c.req.method ?? 'GET', url);
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
