// The opaque `continue` token of a paged list: the snapshot revision and the last key
// returned, as base64url JSON (the same idea as kube-apiserver's token). Shared by the
// backends so a token means the same thing whichever one wrote it.
import { StorageError } from './errors.ts';

export interface ContinueToken {
  /** Snapshot revision of the whole paged list. */
  revision: number;
  /** Last key returned; the next page starts strictly after it. */
  lastKey: string;
}

const TOKEN_VERSION = 'kplane.storage/v1';

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv: token.revision, start: token.lastKey })).toString('base64url');
}

/** Decode a token for a list under prefix; anything malformed or for another prefix is InvalidContinue. */
export function decodeContinue(prefix: string, raw: string): ContinueToken {
  const invalid = (why: string) => new StorageError('InvalidContinue', prefix, `invalid continue token: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not base64 JSON');
  }
  if (parsed === null || typeof parsed !== 'object') throw invalid('not an object');
  const { v, rv, start } = parsed as Record<string, unknown>;
  if (v !== TOKEN_VERSION) throw invalid('unknown version');
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv < 0) throw invalid('bad revision');
  if (typeof start !== 'string' || !start.startsWith(prefix)) throw invalid('key outside the listed prefix');
  return { revision: rv, lastKey: start };
}
