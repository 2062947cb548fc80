// kcp's ToSyncTargetKey: the label-safe, fixed-length identity of a SyncTarget across
// workspaces. SHA-224 of "<logical cluster path>:<synctarget name>", read as a big-endian
// integer and written in base 62 with Go's big.Int Text(62) digits (0-9, then a-z, then A-Z),
// so that keys agree byte for byte with kcp's `state.workload.kcp.io/<key>` labels.
import { createHash } from 'node:crypto';

/** big.Int's digit order: lower case before upper case. */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function base62(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (n === 0n) return '0';
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

export function toSyncTargetKey(clusterPath: string, name: string): string {
  return base62(createHash('sha224').update(`${clusterPath}:${name}`).digest());
}

/**
 * The label every SyncTarget carries with its own key (kcp's `internal.workload.kcp.io/key`),
 * so controllers and syncers find a target by key with a label selector. Reserved metadata:
 * only kplane writes it (the API server when the target is created, the SyncTarget controller
 * for one stored without it).
 */
export const SYNC_TARGET_KEY_LABEL = 'internal.workload.kcp.io/key';

/** The namespace (and object) label that places it on a SyncTarget: `state.workload.kcp.io/<key>`. */
export const STATE_LABEL_PREFIX = 'state.workload.kcp.io/';

export function stateLabelKey(syncTargetKey: string): string {
  return `${STATE_LABEL_PREFIX}${syncTargetKey}`;
}
