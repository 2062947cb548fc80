// Start-up: wait until our SyncTarget exists (an admin may start the syncer first), then
// check its uid. Every failure is retried with a growing, jittered pause; only a uid
// mismatch is fatal, because no amount of waiting fixes it.
import type { SyncTarget } from '../client/index.ts';
import type { Logger } from '../log/logger.ts';
import { classifyBeatError, retryDelay } from './backoff.ts';
import type { Clock } from '../clock/clock.ts';
import { type SyncTargetAccess, UidMismatchError } from './synctarget-access.ts';

export interface WaitOptions {
  syncTargets: SyncTargetAccess;
  name: string;
  /** When set, the SyncTarget must have this uid. */
  expectedUid?: string | undefined;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  /** Longest pause between attempts; defaults to 30s. */
  maxDelayMs?: number;
  random?: () => number;
}

/** The SyncTarget once it exists (uid checked), or undefined when aborted first. */
export async function waitForSyncTarget(o: WaitOptions): Promise<SyncTarget | undefined> {
  for (let attempt = 1; !o.signal.aborted; attempt++) {
    try {
      const st = await o.syncTargets.get(o.name);
      const uid = st.metadata.uid ?? '';
      if (o.expectedUid && uid !== o.expectedUid) throw new UidMismatchError(o.name, o.expectedUid, uid);
      return st;
    } catch (err) {
      if (err instanceof UidMismatchError) throw err;
      const kind = classifyBeatError(err);
      // Waiting for a SyncTarget that does not exist yet is the expected start-up race:
      // pace it like a transient error, not like an auth failure.
      const delay = retryDelay(kind === 'not-found' ? 'transient' : kind, attempt, {
        initialMs: 1000,
        maxMs: o.maxDelayMs ?? 30_000,
        authFailureMs: o.maxDelayMs ?? 30_000,
        ...(o.random ? { random: o.random } : {}),
      });
      o.logger.warn(waitMessage(kind, o.name), { attempt, retryInMs: delay, error: (err as Error).message });
      await o.clock.sleep(delay, o.signal);
    }
  }
  return undefined;
}

function waitMessage(kind: ReturnType<typeof classifyBeatError>, name: string): string {
  switch (kind) {
    case 'not-found':
      return `waiting for SyncTarget "${name}" to exist`;
    case 'unauthorized':
      return `kplane rejected the syncer's credentials (401): check the token in --from-kubeconfig`;
    case 'forbidden':
      return `the syncer's identity may not read SyncTarget "${name}" (403): check its ClusterRole and binding`;
    default:
      return `cannot reach kplane to read SyncTarget "${name}"`;
  }
}
