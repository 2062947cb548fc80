// Recognises the admin token generated at first start (only its SHA-256 is kept).
import { ADMIN_GROUPS, ADMIN_USER, tokenMatchesDigest } from '../../bootstrap/admin.ts';
import type { UserInfo } from './user.ts';
import type { TokenAuthenticator } from './authenticator.ts';

export class AdminTokenAuthenticator implements TokenAuthenticator {
  /** The admin token's SHA-256, decoded from hex once rather than per request. */
  private readonly digest: Buffer;

  constructor(sha256: string) {
    this.digest = Buffer.from(sha256, 'hex');
  }

  authenticateToken(token: string): UserInfo | undefined {
    // The admin token is base64url (ensureAdminToken), which has no '.'; every service-account
    // token is a JWT, which has two. Hashing each syncer's ~1 KB JWT on every request only to
    // learn it is not the admin's cost 2 % of the API server's thread under heartbeats.
    if (token.includes('.')) return undefined;
    return tokenMatchesDigest(token, this.digest) ? { username: ADMIN_USER, groups: [...ADMIN_GROUPS] } : undefined;
  }
}
