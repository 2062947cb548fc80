// Names of everything kplane creates for one SyncTarget's syncer, shared by the manifest
// renderer, the reconciler's identity step (ServiceAccount/ClusterRole in the workspace) and
// `kplane workload sync`. The hash of the uid makes a recreated SyncTarget get new names, so
// leftovers of the old one never collide with the new one (kcp does the same).
import { createHash } from 'node:crypto';
import { toLabelValue } from '../../labels/value.ts';

const PREFIX = 'kplane-syncer-';
/** A DNS label (namespace names) is at most 63 characters. */
const MAX_NAME = 63;

/** Recent uidHash8 answers: one reconcile names its syncer's objects several times over. */
const recentHashes = new Map<string, string>();
const RECENT_HASHES_MAX = 1024;

/** First 8 hex characters of sha256(uid). */
export function uidHash8(uid: string): string {
  let hash = recentHashes.get(uid);
  if (hash === undefined) {
    hash = createHash('sha256').update(uid).digest('hex').slice(0, 8);
    // Bounded by emptying: the working set is the targets being reconciled right now.
    if (recentHashes.size >= RECENT_HASHES_MAX) recentHashes.clear();
    recentHashes.set(uid, hash);
  }
  return hash;
}

/**
 * `kplane-syncer-<name>-<hash8>`, with <name> shortened when needed so the result is a valid
 * DNS label (the hash keeps it unique).
 */
export function syncerResourceName(syncTargetName: string, syncTargetUid: string): string {
  const hash = uidHash8(syncTargetUid);
  const room = MAX_NAME - PREFIX.length - 1 - hash.length;
  const short = syncTargetName.slice(0, room).replace(/[-.]+$/, '');
  return `${PREFIX}${short}-${hash}`;
}

/** Labels on every object of one syncer, for selection and clean-up. */
export function syncerLabels(syncTargetName: string, syncTargetUid: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kplane-syncer',
    'app.kubernetes.io/instance': syncerResourceName(syncTargetName, syncTargetUid),
    'app.kubernetes.io/managed-by': 'kplane',
    // A SyncTarget name may be 253 characters; the label value is kept valid (prefix + hash).
    // Controllers find the owner through ownerReferences, never by parsing this value.
    'workload.kcp.io/sync-target-name': toLabelValue(syncTargetName),
  };
}
