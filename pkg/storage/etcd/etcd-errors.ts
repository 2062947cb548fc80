// Normalises what the etcd3 client throws (typed gRPC errors, etcd server messages,
// cockatiel circuit-breaker errors) into the storage vocabulary at this one boundary.
import { isStorageError, StorageError } from '../errors.ts';

/** etcd's ErrCompacted text ("mvcc: required revision has been compacted"). */
const COMPACTED = 'required revision has been compacted';
/** etcd's ErrFutureRev text: a read at a revision newer than the store has. */
const FUTURE_REVISION = 'required revision is a future revision';
/** A value over etcd's --max-request-bytes (default 1.5 MiB) or gRPC's message limit. */
const TOO_LARGE = /request is too large|larger than max|message too large/i;

export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && err.message.includes(COMPACTED);
}

/**
 * The StorageError for a failed etcd call. Compaction is Expired (410), an oversized value is
 * TooLarge (413); everything else (no leader, timeouts, lost connections, open circuit
 * breakers, auth trouble) is Unavailable, which callers treat as transient.
 */
export function toStorageError(err: unknown, key: string, op: string): StorageError {
  if (isStorageError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes(COMPACTED)) {
    return new StorageError('Expired', key, `${op} ${key}: ${message}`, { cause: err });
  }
  if (message.includes(FUTURE_REVISION)) {
    // Same code as the sqlite backend for a revision that does not exist yet.
    return new StorageError('Unavailable', key, `${op} ${key}: ${message}`, { cause: err });
  }
  if (TOO_LARGE.test(message)) {
    return new StorageError('TooLarge', key, `the object is too large for etcd: ${message}`, { cause: err });
  }
  return new StorageError('Unavailable', key, `${op} ${key}: etcd unavailable: ${message}`, { cause: err });
}
