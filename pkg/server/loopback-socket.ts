// The loopback socket: where `kplane start` also serves its own controllers (and its leader
// election client), as plain HTTP on a Unix socket instead of HTTPS on the TCP port. Both ends
// live in one process, so TLS protects nothing there, yet it cost both threads on every one of
// the controllers' requests (a new SyncTarget makes about ten; docs/design.md §11).
//
// The name is in Linux's abstract namespace: no file to leave behind after a kill -9 and no
// limit from the length of the root dir's path. Any local process can connect to it, exactly
// as to the TCP port, and gets exactly what the port gives: every request is authenticated
// and authorized by the same chain (the controllers by the loopback token). On other systems
// there is no loopback socket and the controllers use HTTPS as before.
import { randomBytes } from 'node:crypto';

export function newLoopbackSocketPath(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  return `\0kplane-loopback-${process.pid}-${randomBytes(8).toString('hex')}`;
}

/** The socket as `ss -x` and /proc/net/unix print it: an abstract name starts with "@". */
export function socketDisplayName(path: string): string {
  return path.startsWith('\0') ? `@${path.slice(1)}` : path;
}
