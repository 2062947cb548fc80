// Maps storage errors onto the API error vocabulary for one resource, and words the store's
// own precondition conflicts as kube-apiserver does.
import {
  newAlreadyExists,
  newBadRequest,
  newConflict,
  newExpired,
  newNotFound,
  OBJECT_MODIFIED,
  StatusError,
} from '../../apierrors/errors.ts';
import type { ResourceDefinition } from '../../../apis/resource.ts';
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

function qualified(def: ResourceDefinition): string {
  return def.group === '' ? def.plural : `${def.plural}.${def.group}`;
}

export function conflict(def: ResourceDefinition, name: string): StatusError {
  return new StatusError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: def.group, kind: def.plural },
  );
}

export function conflictUID(def: ResourceDefinition, name: string, want: string, have: string): StatusError {
  return new StatusError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(def)} "${name}": Precondition failed: UID in precondition: ${want}, UID in object meta: ${have}`,
    { name, group: def.group, kind: def.plural },
  );
}

export function conflictRV(def: ResourceDefinition, name: string, want: string, have: string): StatusError {
  return new StatusError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(def)} "${name}": the ResourceVersion in the precondition (${want}) does not match the ResourceVersion in record (${have}). The object might have been modified`,
    { name, group: def.group, kind: def.plural },
  );
}
