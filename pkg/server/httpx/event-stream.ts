// A long-running stream of lines (watch events) that honours the client's backpressure.
// res.write never refuses data: a client that does not read makes Node buffer everything we
// write, without limit. So after each line the writer checks how much is waiting; past
// `maxBufferedBytes` it stops producing until the client drains, and a client that does not
// drain within `drainTimeoutMs` is too slow: kube-apiserver closes such watchers and the
// client re-lists, and so do we. Memory per stream is thus bounded by the buffer limit plus
// one line, and it is released when the stream ends.
import type { ServerResponse } from 'node:http';

export interface EventStreamLimits {
  /** Bytes waiting in Node's buffer before the producer pauses. */
  maxBufferedBytes: number;
  /** How long a paused stream may wait for the client to drain before it is closed. */
  drainTimeoutMs: number;
}

export const DEFAULT_EVENT_STREAM_LIMITS: EventStreamLimits = { maxBufferedBytes: 1024 * 1024, drainTimeoutMs: 10_000 };

/** ok: write on; gone: the client went away; slow: it did not drain in time (the stream is cut). */
export type StreamState = 'ok' | 'gone' | 'slow';

export class EventStream {
  private readonly res: ServerResponse;
  private readonly limits: EventStreamLimits;
  /** The most bytes ever waiting at once (tests, logs: evidence of the bound). */
  peakBuffered = 0;

  constructor(res: ServerResponse, limits: EventStreamLimits = DEFAULT_EVENT_STREAM_LIMITS) {
    this.res = res;
    this.limits = limits;
  }

  get buffered(): number {
    return this.res.writableLength;
  }

  /** Write one line; false when the stream is already over. */
  write(line: string | Buffer): boolean {
    if (this.res.writableEnded || this.res.destroyed) return false;
    this.res.write(line);
    if (this.res.writableLength > this.peakBuffered) this.peakBuffered = this.res.writableLength;
    return true;
  }

  /**
   * Wait until the client has taken enough of what was written. A stream that stays over the
   * limit for drainTimeoutMs is destroyed and reported 'slow'.
   */
  settle(): Promise<StreamState> {
    const res = this.res;
    if (res.destroyed || res.writableEnded) return Promise.resolve('gone');
    if (res.writableLength <= this.limits.maxBufferedBytes) return Promise.resolve('ok');
    return new Promise((resolve) => {
      const done = (state: StreamState): void => {
        clearTimeout(timer);
        res.off('drain', onDrain);
        res.off('close', onClose);
        resolve(state);
      };
      const onDrain = (): void => done('ok');
      const onClose = (): void => done('gone');
      const timer = setTimeout(() => {
        done('slow');
        res.destroy();
      }, this.limits.drainTimeoutMs);
      timer.unref();
      res.once('drain', onDrain);
      res.once('close', onClose);
    });
  }
}
