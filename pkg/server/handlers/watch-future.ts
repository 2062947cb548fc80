// A watch from a resourceVersion the storage has not reached yet. kube-apiserver's watch
// cache waits briefly (3 s) for that revision and then ends the watch with one ERROR event
// carrying a 504 Timeout Status ("Too large resource version", cause
// ResourceVersionTooLarge, retryAfterSeconds 1); client-go's reflector reads that cause and
// relists. kplane's storage is never behind its own revision counter, so a revision above
// it is answered at once instead of leaving the stream silent until timeoutSeconds.
import { StatusError } from '../../apierrors/errors.ts';
import type { HandlerContext } from './context.ts';

/** kube's retry hint for this error (resourceVersionTooHighRetrySeconds). */
const RETRY_AFTER_SECONDS = 1;

export function newTooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError('Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
}

/**
 * When `startRV` is beyond the storage's revision, answer the watch as kube does (200, one
 * ERROR event, end of stream) and return true; otherwise leave the response untouched.
 */
export async function endWatchFromFuture(ctx: HandlerContext, startRV: number | undefined, contentType: string): Promise<boolean> {
  if (startRV === undefined) return false;
  const current = await ctx.store.currentRevision();
  if (startRV <= current) return false;
  const status = newTooLargeResourceVersion(startRV, current).toStatus();
  ctx.res.statusCode = 200;
  ctx.res.setHeader('Content-Type', contentType);
  ctx.res.setHeader('Cache-Control', 'no-cache, private');
  ctx.res.end(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
  return true;
}
