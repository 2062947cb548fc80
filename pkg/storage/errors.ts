// The storage error vocabulary. Storage knows no HTTP: the API server maps these codes
// to metav1.Status (KeyNotFound→404, KeyExists→409 AlreadyExists, Conflict→409,
// Expired→410, Unavailable→503, Invalid→400/422, TooLarge→413).

export type StorageErrorCode =
  | 'KeyNotFound'
  | 'KeyExists'
  | 'Conflict'
  | 'Expired'
  | 'InvalidContinue'
  | 'InvalidObject'
  | 'TooLarge'
  | 'Unavailable'
  | 'Closed';

/** Transient codes are worth retrying by a caller; the rest are permanent for the request. */
const TRANSIENT: ReadonlySet<StorageErrorCode> = new Set(['Conflict', 'Unavailable']);

/**
 * Outcomes a caller decides on, never bugs to trace: an apply that creates, a create that
 * races, a stale read-modify-write. Capturing their stack trace was ~2 % of the API server's
 * CPU while a fleet's SyncTargets were set up (docs/design.md §11), for a trace nobody reads:
 * they become a Status for the client.
 */
const UNTRACED: ReadonlySet<StorageErrorCode> = new Set(['KeyNotFound', 'KeyExists', 'Conflict']);

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key: string;

  constructor(code: StorageErrorCode, key: string, message?: string, options?: { cause?: unknown }) {
    const limit = Error.stackTraceLimit;
    if (UNTRACED.has(code)) Error.stackTraceLimit = 0;
    try {
      super(message ?? `${code}: ${key}`, options);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'StorageError';
    this.code = code;
    this.key = key;
  }

  get transient(): boolean {
    return TRANSIENT.has(this.code);
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
