// Request log: one line per request once it is answered — who (the authenticated user, and
// the impersonated one when there is one), what, where, the code and the latency. Never a
// credential: only user names are logged.
import type { Logger } from '../../log/logger.ts';
import { lineWriterOf } from '../../log/lines.ts';
import { ANONYMOUS_USER } from '../authn/user.ts';
import type { Filter, RequestContext } from './context.ts';

export function withRequestLog(logger: Logger): Filter<RequestContext, RequestContext> {
  // The logger's own writer when it has one (pkg/log/lines.ts): the same line without winston's
  // per-line pipeline, which cost more than any other part of a status patch.
  const fast = lineWriterOf(logger);
  const info = fast ? (message: string, fields: Record<string, unknown>) => fast('info', message, fields) : (message: string, fields: Record<string, unknown>) => logger.info(message, fields);
  return (next) => async (c) => {
    try {
      await next(c);
    } finally {
      const ms = Number(process.hrtime.bigint() - c.startedAt) / 1e6;
      info('request', {
        user: c.authenticatedUser?.username ?? ANONYMOUS_USER,
        ...(c.impersonatedUser ? { impersonatedUser: c.impersonatedUser.username } : {}),
        verb: c.info?.verb ?? c.req.method,
        path: (c.req.url ?? '').split('?')[0],
        code: c.res.statusCode,
        latencyMs: Math.round(ms * 100) / 100,
        ...(c.auditID ? { auditID: c.auditID } : {}),
      });
    }
  };
}
