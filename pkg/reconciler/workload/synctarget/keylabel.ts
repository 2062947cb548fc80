// The `internal.workload.kcp.io/key` label as kcp computes it: base62(sha224("<cluster>:<name>")),
// a label-safe, fixed-length identity of a SyncTarget across workspaces.
import { createHash } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

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

export function syncTargetKeyLabel(cluster: string, name: string): string {
  return base62(createHash('sha224').update(`${cluster}:${name}`).digest());
}
