// Recognises the admin token generated at first start (only its SHA-256 is kept).
import { ADMIN_GROUPS, ADMIN_USER, tokenMatchesHash } from '../../bootstrap/admin.ts';
import type { UserInfo } from './user.ts';
import type { TokenAuthenticator } from './authenticator.ts';

export class AdminTokenAuthenticator implements TokenAuthenticator {
  private readonly sha256: string;

  constructor(sha256: string) {
    this.sha256 = sha256;
  }

  authenticateToken(token: string): UserInfo | undefined {
    // The admin token is base64url (ensureAdminToken), which has no '.'; every service-account
    // token is a JWT, which has two. Hashing each syncer's ~1 KB JWT on every request only to
    // learn it is not the admin's cost 2 % of the API server's thread under heartbeats.
    if (token.includes('.')) return undefined;
    return tokenMatchesHash(token, this.sha256) ? { username: ADMIN_USER, groups: [...ADMIN_GROUPS] } : undefined;
  }
}
