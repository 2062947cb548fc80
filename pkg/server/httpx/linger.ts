// Lingering close: what happens to a request body nobody read to the end.
//
// An answer often goes out before the body was read — 401/403 come before the handler, 413
// when Content-Length is over the limit, 408 when the body was too slow. Node then either
// discards the rest of the body for as long as the client keeps sending (a trickling client
// holds the socket forever) or, on a closing connection, destroys the socket right away (a
// client still sending gets a reset and never reads the Status: Python's urllib sees a TLS
// EOF). Neither is acceptable. After such an answer is flushed, we keep discarding the rest
// for a bounded number of bytes and a bounded time, so an ordinary client that is finishing
// its upload reads the Status; past either bound the socket is destroyed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface LingerOptions {
  /** Bytes of an unread body we discard after answering before we cut the connection. */
  maxBytes: number;
  /** How long after the answer we keep discarding before we cut the connection. */
  maxMs: number;
  /** Told whenever a connection is cut (metrics, logs). */
  onCut?: (why: 'bytes' | 'deadline') => void;
}

/** Enough for a client to finish sending an over-limit (3 MiB) body of a few MiB. */
export const DEFAULT_LINGER: LingerOptions = { maxBytes: 8 * 1024 * 1024, maxMs: 5000 };

/** How often a lingering connection's progress is checked. */
const POLL_MS = 100;

/** Arrange the lingering close of `req`'s connection, should its body be unread when `res` ends. */
export function lingerUnreadBody(req: IncomingMessage, res: ServerResponse, opts: LingerOptions = DEFAULT_LINGER): void {
  const socket = req.socket as Socket & { destroySoon?: () => void };
  let closing = false;
  res.once('prefinish', () => {
    if (req.complete) return;
    // On a closing connection (the client sent `Connection: close`, as urllib does) Node
    // destroys the socket once the answer is flushed. Half-close instead: the answer and
    // TLS close_notify go out, and reading goes on below until the bounds.
    socket.destroySoon = () => {
      closing = true;
      socket.end();
    };
  });
  res.once('finish', () => {
    if (req.complete) return;
    // Node's own finish handler ran first: the body now flows into the void (or, if a handler
    // paused it, we resume it). Progress is measured on the socket because a dumped request
    // no longer emits its data.
    const start = socket.bytesRead;
    const began = Date.now();
    const stop = (): void => {
      clearInterval(timer);
      req.off('end', stop);
      socket.off('close', stop);
      // The client sent its whole body and has its answer: a closing connection is done.
      if (closing && !socket.destroyed) {
        if (socket.writableFinished) socket.destroy();
        else socket.once('finish', () => socket.destroy());
      }
    };
    const cut = (why: 'bytes' | 'deadline'): void => {
      stop();
      opts.onCut?.(why);
      socket.destroy();
    };
    const timer = setInterval(() => {
      if (req.complete || socket.destroyed) return stop();
      if (socket.bytesRead - start > opts.maxBytes) return cut('bytes');
      if (Date.now() - began >= opts.maxMs) return cut('deadline');
    }, POLL_MS);
    timer.unref();
    req.once('end', stop);
    socket.once('close', stop);
    req.resume();
  });
}
