// Typed error predicates for callers (controllers, syncer): the vocabulary is pkg/apierrors'.
import { isStatusError, StatusError } from '../apierrors/errors.ts';

export { StatusError };

export const isNotFound = (err: unknown): boolean => isStatusError(err, 'NotFound');
export const isAlreadyExists = (err: unknown): boolean => isStatusError(err, 'AlreadyExists');
export const isConflict = (err: unknown): boolean => isStatusError(err, 'Conflict');
export const isForbidden = (err: unknown): boolean => isStatusError(err, 'Forbidden');
export const isUnauthorized = (err: unknown): boolean => isStatusError(err, 'Unauthorized');
export const isInvalid = (err: unknown): boolean => isStatusError(err, 'Invalid') || isStatusError(err, 'BadRequest');
export const isExpired = (err: unknown): boolean => isStatusError(err, 'Expired') || isStatusError(err, 'Gone');

/** Worth retrying later: conflicts, throttling, server errors and network failures. */
export function isTransient(err: unknown): boolean {
  return err instanceof StatusError ? err.transient : true;
}
