// Recognises the admin token generated at first start (only its SHA-256 is kept).
import { timingSafeEqual } from 'node:crypto';
import { ADMIN_GROUPS, ADMIN_USER, tokenMatchesDigest } from '../../bootstrap/admin.ts';
import type { UserInfo } from './user.ts';
import type { TokenAuthenticator } from './authenticator.ts';

export class AdminTokenAuthenticator implements TokenAuthenticator {
  /** The admin token's SHA-256, decoded from hex once rather than per request. */
  private readonly digest: Buffer;
  /**
   * The admin token itself, once a request has presented it: its digest is the only thing on
   * disk, and the first match proves which bytes it is (SHA-256 has no known second
   * preimage). Later requests are compared to those bytes in constant time instead of being
   * hashed: the one-shot hash was still ~3 % of the API server's thread under wrk with the
   * admin token. The bytes stay in this process's memory, where every request carrying them
   * has them anyway.
   */
  private known: Buffer | undefined;

  constructor(sha256: string) {
    this.digest = Buffer.from(sha256, 'hex');
  }

  authenticateToken(token: string): UserInfo | undefined {
    // The admin token is base64url (ensureAdminToken), which has no '.'; every service-account
    // token is a JWT, which has two. Hashing each syncer's ~1 KB JWT on every request only to
    // learn it is not the admin's cost 2 % of the API server's thread under heartbeats.
    if (token.includes('.')) return undefined;
    return this.matches(token) ? { username: ADMIN_USER, groups: [...ADMIN_GROUPS] } : undefined;
  }

  private matches(token: string): boolean {
    const bytes = Buffer.from(token, 'utf8');
    if (this.known !== undefined) return bytes.length === this.known.length && timingSafeEqual(bytes, this.known);
    if (!tokenMatchesDigest(token, this.digest)) return false;
    this.known = bytes;
    return true;
  }
}
