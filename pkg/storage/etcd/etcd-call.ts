// One etcd request as the backend makes it: retried only while it provably never reached
// a server, then failures mapped to StorageErrors.
//
// Why the retry: etcd3 picks a random endpoint per call and only skips a dead member once
// that member's circuit breaker opened (three consecutive failures). A refused connection
// means the request was never sent, so trying again (on another member) is safe even for a
// txn; anything that may have reached etcd is never retried here (see index.ts).
import { toStorageError } from './etcd-errors.ts';

/** grpc-js's wording for a call that failed before any byte of it was sent. */
const NEVER_SENT = /No connection established|ECONNREFUSED/;

/** Attempts per call; one more than etcd3's breaker threshold, so a dead member is always skipped. */
const ATTEMPTS = 4;
const BACKOFF_MS = 25;

export function neverSent(err: unknown): boolean {
  return err instanceof Error && NEVER_SENT.test(err.message);
}

/** Run call, retrying while it failed without reaching etcd; rethrows the client's own error. */
export async function retryNeverSent<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= ATTEMPTS || !neverSent(err)) throw err;
      await new Promise((r) => setTimeout(r, BACKOFF_MS * attempt));
    }
  }
}

/** One etcd request with its failure mapped to a StorageError (a caller's tryUpdate errors never pass here). */
export async function etcdCall<T>(key: string, op: string, call: () => Promise<T>): Promise<T> {
  try {
    return await retryNeverSent(call);
  } catch (err) {
    throw toStorageError(err, key, op);
  }
}
