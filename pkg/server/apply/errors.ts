// The one error type of server-side apply.
//   Conflict    409  fields owned by another manager would change (carries FieldManagerConflict causes)
//   BadRequest  400  the applied configuration is not usable (not an object, managedFields set, …)
import type { FieldCause } from '../../../apis/resource.ts';

export type ApplyErrorKind = 'Conflict' | 'BadRequest';

export class ApplyError extends Error {
  readonly kind: ApplyErrorKind;
  /** For Conflict: one cause per conflicting field, reason FieldManagerConflict. */
  readonly causes: FieldCause[];
  constructor(kind: ApplyErrorKind, message: string, causes: FieldCause[] = []) {
    super(message);
    this.name = 'ApplyError';
    this.kind = kind;
    this.causes = causes;
  }
}
