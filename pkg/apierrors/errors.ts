// Package apierrors is kplane's closed error vocabulary, shared by the server (which turns
// errors into metav1.Status replies) and the client (which turns replies back into errors).
// One table maps each reason to its HTTP code; nothing else picks status codes.
import type { FieldCause } from '../../apis/resource.ts';
import type { Status, StatusDetails } from '../../apis/meta/v1/status.ts';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export const REASON_CODES: Readonly<Record<StatusReason, number>> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

/** Reasons a client may retry after a pause (the rest are permanent for that request). */
const TRANSIENT_REASONS: ReadonlySet<StatusReason> = new Set([
  'Conflict',
  'TooManyRequests',
  'InternalError',
  'ServiceUnavailable',
  'Timeout',
]);

/** An API error carrying the exact metav1.Status that goes on the wire. */
export class StatusError extends Error {
  readonly reason: StatusReason;
  readonly code: number;
  readonly details: StatusDetails | undefined;

  constructor(reason: StatusReason, message: string, details?: StatusDetails, code?: number) {
    super(message);
    this.name = 'StatusError';
    this.reason = reason;
    this.code = code ?? REASON_CODES[reason];
    this.details = details;
  }

  get transient(): boolean {
    return TRANSIENT_REASONS.has(this.reason);
  }

  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details !== undefined) status.details = this.details;
    return status;
  }

  static fromStatus(s: Partial<Status>, httpCode: number): StatusError {
    const reason = (s.reason ?? reasonForCode(httpCode)) as StatusReason;
    return new StatusError(reason, s.message ?? `HTTP ${httpCode}`, s.details, s.code ?? httpCode);
  }
}

export function reasonForCode(code: number): StatusReason {
  for (const [reason, c] of Object.entries(REASON_CODES)) {
    if (c === code) return reason as StatusReason;
  }
  return code >= 500 ? 'InternalError' : 'BadRequest';
}

export function isStatusError(err: unknown, reason?: StatusReason): err is StatusError {
  return err instanceof StatusError && (reason === undefined || err.reason === reason);
}

/** "synctargets.workload.kcp.io" or "configmaps" for the core group. */
export function qualifiedResource(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

export function newNotFound(group: string, resource: string, name: string): StatusError {
  return new StatusError('NotFound', `${qualifiedResource(group, resource)} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });
}

export function newAlreadyExists(group: string, resource: string, name: string): StatusError {
  return new StatusError('AlreadyExists', `${qualifiedResource(group, resource)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });
}

export function newConflict(group: string, resource: string, name: string, why: string): StatusError {
  return new StatusError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${why}`,
    { name, group, kind: resource },
  );
}

export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

export function newInvalid(group: string, kind: string, name: string, causes: FieldCause[]): StatusError {
  const what = group === '' ? kind : `${kind}.${group}`;
  const summary = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ');
  const message = name ? `${what} "${name}" is invalid: ${summary}` : `${what} is invalid: ${summary}`;
  return new StatusError('Invalid', message, { name, group, kind, causes });
}

export function newBadRequest(message: string): StatusError {
  return new StatusError('BadRequest', message);
}

export function newMethodNotAllowed(message: string): StatusError {
  return new StatusError('MethodNotAllowed', message);
}

export function newExpired(message: string): StatusError {
  return new StatusError('Expired', message);
}

export function newInternal(message: string): StatusError {
  return new StatusError('InternalError', `Internal error occurred: ${message}`);
}
