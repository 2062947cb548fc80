// Label values made from arbitrary strings (object names, paths). A label value is at most 63
// characters of [A-Za-z0-9_.-], beginning and ending with an alphanumeric (or empty). Cutting a
// long name at 63 can leave a trailing '-' or '.', and two long names sharing their first 63
// characters would collide; so a value that is not already valid becomes a readable prefix
// plus a hash of the whole input — always valid, and distinct inputs stay distinct.
import { createHash } from 'node:crypto';
import { labelValueErrors } from './validation.ts';

export const MAX_LABEL_VALUE = 63;
const HASH_LEN = 10;

/** `input` itself when it is a valid label value; otherwise `<prefix>-<hash>` (or `<hash>`), valid by construction. */
export function toLabelValue(input: string): string {
  if (labelValueErrors(input).length === 0) return input;
  const hash = createHash('sha256').update(input).digest('hex').slice(0, HASH_LEN);
  const room = MAX_LABEL_VALUE - HASH_LEN - 1;
  const prefix = input
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(0, room)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return prefix ? `${prefix}-${hash}` : hash;
}
