// The API server's metrics seam: the metrics filter reports each request's start and end
// here, and /metrics is answered by whoever implements it (pkg/metrics, on prom-client).
// pkg/server itself never imports prom-client.
import type { ServerResponse } from 'node:http';
import type { RequestInfo } from '../request/requestinfo.ts';
import type { Filter, InfoContext } from './context.ts';

export interface RequestMetrics {
  /**
   * A request was parsed (info undefined: the path was unparseable). Returns the function to
   * call once with the final HTTP status code when the response is done.
   */
  begin(info: RequestInfo | undefined, method: string): (code: number) => void;
  /** Write the Prometheus text exposition (GET /metrics, after authn and authz). */
  serve(res: ServerResponse): Promise<void>;
}

/** Metrics filter: every parsed request is counted and timed (watches gauged instead). */
export function withMetrics(metrics: RequestMetrics): Filter<InfoContext, InfoContext> {
  return (next) => async (c) => {
    const end = metrics.begin(c.info, c.req.method ?? 'GET');
    try {
      await next(c);
    } finally {
      end(c.res.statusCode);
    }
  };
}
