// Typed error predicates for callers (controllers, syncer): the vocabulary is pkg/apierrors'.
import { isStatusError, StatusError } from '../apierrors/errors.ts';

export { StatusError };

/**
 * A call given up because its AbortSignal fired (reconcile timeout, shutdown, lost lease).
 * `cause` is the signal's reason. Not a StatusError: the server never answered.
 */
export class RequestAbortedError extends Error {
  constructor(call: string, reason: unknown) {
    super(`${call}: aborted${reason instanceof Error ? ` (${reason.message})` : ''}`, { cause: reason });
    this.name = 'AbortError';
  }
}

export const isAborted = (err: unknown): boolean => err instanceof RequestAbortedError;

export const isNotFound = (err: unknown): boolean => isStatusError(err, 'NotFound');
export const isAlreadyExists = (err: unknown): boolean => isStatusError(err, 'AlreadyExists');
export const isConflict = (err: unknown): boolean => isStatusError(err, 'Conflict');
export const isForbidden = (err: unknown): boolean => isStatusError(err, 'Forbidden');
export const isUnauthorized = (err: unknown): boolean => isStatusError(err, 'Unauthorized');
export const isInvalid = (err: unknown): boolean => isStatusError(err, 'Invalid') || isStatusError(err, 'BadRequest');
export const isExpired = (err: unknown): boolean => isStatusError(err, 'Expired') || isStatusError(err, 'Gone');
