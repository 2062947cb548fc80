// Writing replies: JSON bodies, metav1.Status errors, and the classification of unexpected
// exceptions as 500 InternalError (logged with their cause, never leaking a stack).
import type { ServerResponse } from 'node:http';
import type { Status } from '../../../apis/meta/v1/status.ts';
import { newInternal, StatusError } from '../../apierrors/errors.ts';

export function writeJSON(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  // Encoded once: Content-Length from the bytes that are written, not a second UTF-8 pass.
  writeBytes(res, code, Buffer.from(JSON.stringify(body), 'utf8'), contentType);
}

/** A reply whose body is already encoded (encoded-objects.ts). */
export function writeBytes(res: ServerResponse, code: number, bytes: Buffer, contentType = 'application/json'): void {
  res.statusCode = code;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

export function toStatusError(err: unknown): StatusError {
  return err instanceof StatusError ? err : newInternal(err instanceof Error ? err.message : String(err));
}

export function writeError(res: ServerResponse, err: StatusError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err.details?.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.details.retryAfterSeconds));
  writeJSON(res, err.code, err.toStatus());
}

export function successStatus(details: Status['details'], code = 200): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
  if (details !== undefined) s.details = details;
  return s;
}
