// Maps storage errors onto the API error vocabulary for one resource.
import {
  newAlreadyExists,
  newBadRequest,
  newConflict,
  newExpired,
  newNotFound,
  OBJECT_MODIFIED,
  StatusError,
} from '../../apierrors/errors.ts';
import { isStorageError } from '../../storage/errors.ts';

export function toStatusError(err: unknown, group: string, resource: string, name: string): unknown {
  if (!isStorageError(err)) return err;
  switch (err.code) {
    case 'KeyNotFound':
      return newNotFound(group, resource, name);
    case 'KeyExists':
      return newAlreadyExists(group, resource, name);
    case 'Conflict':
      return newConflict(group, resource, name, OBJECT_MODIFIED);
    case 'Expired':
      return newExpired(err.message);
    case 'InvalidContinue':
      return newBadRequest(`invalid continue token: ${err.message}`);
    case 'InvalidObject':
      return newBadRequest(err.message);
    case 'TooLarge':
      // kube-apiserver's answer when etcd refuses a value as too large.
      return new StatusError('RequestEntityTooLarge', `Request entity too large: ${err.message}`);
    case 'Unavailable':
    case 'Closed':
      return new StatusError('ServiceUnavailable', `storage is unavailable: ${err.message}`);
  }
}
