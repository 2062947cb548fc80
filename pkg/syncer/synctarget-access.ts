// The narrow view of the API the syncer needs: its own SyncTarget, read and status-patched.
// pkg/client's ResourceClient<SyncTarget> satisfies it; tests pass an object literal.
import type { JsonPatchOp, SyncTarget } from '../client/index.ts';

export interface SyncTargetAccess {
  get(name: string): Promise<SyncTarget>;
  patchStatus(name: string, type: 'json', patch: JsonPatchOp[]): Promise<SyncTarget>;
}

/** The syncer refuses to run for a SyncTarget with another uid (it was deleted and recreated). */
export class UidMismatchError extends Error {
  readonly expected: string;
  readonly actual: string;
  constructor(name: string, expected: string, actual: string) {
    super(`SyncTarget "${name}" has uid ${actual}, but this syncer was configured for uid ${expected} (--sync-target-uid): it is another SyncTarget of the same name (deleted and recreated?); regenerate the syncer manifests`);
    this.name = 'UidMismatchError';
    this.expected = expected;
    this.actual = actual;
  }
}
