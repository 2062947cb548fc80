// Timeout filter (kube's WithRequestDeadline + WithTimeoutForNonLongRunningRequests): every
// request except watches must be answered within the server's request timeout (default
// 60 s), or sooner when the client asks with `?timeout=` (never later: the server's value is
// the cap). When the deadline passes the client gets 504 Timeout and the work is told to stop
// through the AbortSignal on the context; whatever the abandoned handler still writes or
// throws afterwards is dropped. The signal also aborts when the client goes away.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newBadRequest, StatusError } from '../../apierrors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { parseDuration } from '../../options/duration.ts';
import { writeError } from '../httpx/respond.ts';
import { type DeadlineContext, extend, type Filter, type InfoContext } from './context.ts';
import { isLongRunning } from './requestinfo.ts';

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface TimeoutOptions {
  /** The server's request timeout and the cap for `?timeout=`. */
  maxMs?: number | undefined;
  logger: Logger;
}

export function newTimeoutError(): StatusError {
  return new StatusError('Timeout', 'request did not complete within requested timeout - context deadline exceeded', {});
}

/** The deadline for a request: `?timeout=` when positive and below the cap, else the cap. */
export function requestTimeoutMs(url: URL, maxMs: number): number {
  const asked = url.searchParams.get('timeout');
  if (asked === null || asked === '') return maxMs;
  const ms = parseDuration(asked);
  if (ms === undefined) throw newBadRequest(`invalid timeout specified in the request URL: ${JSON.stringify(asked)}`);
  return ms > 0 && ms < maxMs ? ms : maxMs;
}

export function withTimeout(o: TimeoutOptions): Filter<InfoContext, DeadlineContext> {
  const maxMs = o.maxMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return (next) => async (c) => {
    const abort = new AbortController();
    const clientGone = (): void => {
      if (!c.res.writableFinished) abort.abort(new Error('the client closed the connection'));
    };
    c.res.once('close', clientGone);
    const ctx = extend(c, { signal: abort.signal });
    if (isLongRunning(c.info)) return next(ctx);

    const ms = requestTimeoutMs(c.url, maxMs);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    });
    const work = next(ctx);
    try {
      const first = await Promise.race([work.then(() => 'done' as const), deadline]);
      if (first === 'done') return;
    } finally {
      clearTimeout(timer);
    }
    // Answer first, then abort: an abandoned handler woken by the abort must find the
    // response already taken.
    const err = newTimeoutError();
    abandon(c.req, c.res, work, o.logger);
    writeError(c.res, err);
    abort.abort(err);
  };
}

/** After a 504 the handler may still be running: drop what it writes or throws. */
function abandon(req: IncomingMessage, res: ServerResponse, work: Promise<void>, logger: Logger): void {
  // A handler still waiting for a body the client trickles would hold its in-flight slot for
  // as long as the client likes (Node no longer aborts a request whose response is done).
  // Once the 504 is out, end the request as Go's server closes the body of a returned handler.
  res.once('finish', () => {
    if (!req.complete) req.destroy();
  });
  // A write after the 504 ended the response emits 'error' on it; without a listener that
  // would be an uncaught exception.
  res.on('error', (err) => logger.debug('write after request timeout dropped', { err: err.message }));
  work.catch((err: unknown) => logger.debug('timed-out request failed later', { err: err instanceof Error ? err.message : String(err) }));
}
