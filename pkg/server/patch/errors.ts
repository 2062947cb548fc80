// The one error type of the patch libraries. `kind` picks the HTTP answer the API server
// gives, as kube's patch handler (apiserver pkg/endpoints/handlers/patch.go) does:
//   BadRequest            400  undecodable patch (not JSON of the right shape, bad directive)
//   Invalid               422  a JSON patch that does not apply (missing path, failed `test`)
//   Conflict              409  reserved for callers (e.g. resourceVersion preconditions)
//   RequestEntityTooLarge 413  more than 10,000 JSON patch operations
// Kube answers every JSON-patch apply failure, a failed `test` included, with a generic 422
// Invalid (NewGenericServerResponse); the detailed text here is what its json-patch library
// says, and KUBE_GENERIC_INVALID_MESSAGE is the Status message kube itself shows.

export type PatchErrorKind = 'BadRequest' | 'Invalid' | 'Conflict' | 'RequestEntityTooLarge';

export const KUBE_GENERIC_INVALID_MESSAGE = 'the server rejected our request due to an error in our request';

export class PatchError extends Error {
  readonly kind: PatchErrorKind;
  /** JSON pointer or dotted path of the offending field, when one is known. */
  readonly field: string | undefined;
  constructor(kind: PatchErrorKind, message: string, field?: string) {
    super(message);
    this.name = 'PatchError';
    this.kind = kind;
    this.field = field;
  }
}

export function isPatchError(err: unknown, kind?: PatchErrorKind): err is PatchError {
  return err instanceof PatchError && (kind === undefined || err.kind === kind);
}
