// Raw clients for the availability e2e tests: TLS sockets that speak HTTP by hand (so a test
// controls exactly how slowly a body arrives) and a watcher that never reads.
import { request } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import type { Kplane } from '../framework/kplane.ts';

export interface RawConn {
  socket: TLSSocket;
  /** Everything the server sent so far. */
  received(): string;
  closed(): boolean;
}

/** Open a TLS connection to kplane and send `head` (request line + headers, no body yet). */
export function rawConnect(kp: Kplane, head: string): Promise<RawConn> {
  const u = new URL(kp.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port), ca: kp.caPem, servername: 'localhost' }, () => {
      socket.write(head);
      resolve(conn);
    });
    let text = '';
    let closed = false;
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('close', () => (closed = true));
    socket.on('error', (err) => {
      if (!socket.remoteAddress) reject(err); // failing before connect; later errors end in 'close'
    });
    const conn: RawConn = { socket, received: () => text, closed: () => closed };
  });
}

/** Trickle `byte` every `everyMs` until the socket closes; returns the stop function. */
export function trickle(conn: RawConn, everyMs = 200): () => void {
  const t = setInterval(() => {
    if (conn.closed() || conn.socket.destroyed) return clearInterval(t);
    conn.socket.write('x');
  }, everyMs);
  return () => clearInterval(t);
}

export interface Answer {
  status: number;
  body: string;
}

/**
 * POST `total` bytes to `path` in chunks, honouring backpressure (as an ordinary uploader
 * does), and resolve with the answer as soon as it arrives — even while still sending.
 */
export function uploadLarge(kp: Kplane, path: string, total: number, opts: { chunked?: boolean; token?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Connection: 'close' };
  if (!opts.chunked) headers['Content-Length'] = String(total);
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, kp.url), { method: 'POST', headers, ca: kp.caPem }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x20); // spaces: valid JSON whitespace
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

/** HTTP status of the first response line in `text`, or 0. */
export function statusOf(text: string): number {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return m ? Number(m[1]) : 0;
}
