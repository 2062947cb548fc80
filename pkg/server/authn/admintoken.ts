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
    return tokenMatchesHash(token, this.sha256) ? { username: ADMIN_USER, groups: [...ADMIN_GROUPS] } : undefined;
  }
}
