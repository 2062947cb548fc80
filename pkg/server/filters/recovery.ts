// Panic recovery: whatever a filter or handler throws becomes a metav1.Status reply — typed
// StatusErrors with their own code, anything unexpected a logged 500 without a stack on the
// wire. It sits inside the observers (log, audit, metrics) so that they see the final code.
import { errorFields } from '../../log/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { toStatusError, writeError } from '../httpx/respond.ts';
import type { Filter, InfoContext } from './context.ts';

export function withPanicRecovery(logger: Logger): Filter<InfoContext, InfoContext> {
  return (next) => async (c) => {
    try {
      await next(c);
    } catch (err) {
      const se = toStatusError(err);
      if (se.code >= 500) logger.error('request failed', { path: c.req.url, ...errorFields(err) });
      writeError(c.res, se);
    }
  };
}
