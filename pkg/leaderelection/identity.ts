// A candidate's identity: unique per process and per start, readable in `kubectl get lease`.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export function newIdentity(): string {
  return `${hostname()}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
