// The loopback identity: a random token minted at every start and handed only to the
// in-process controllers (kcp's loopback client config). It never leaves the process.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { UserInfo } from './user.ts';
import type { TokenAuthenticator } from './authenticator.ts';

export const LOOPBACK_USER = 'system:kplane:controller-manager';

export function newLoopbackToken(): string {
  return randomBytes(32).toString('base64url');
}

export class LoopbackTokenAuthenticator implements TokenAuthenticator {
  private readonly token: Buffer;

  constructor(token: string) {
    this.token = Buffer.from(token);
  }

  authenticateToken(token: string): UserInfo | undefined {
    const t = Buffer.from(token);
    if (t.length !== this.token.length || !timingSafeEqual(t, this.token)) return undefined;
    return { username: LOOPBACK_USER, groups: ['system:masters', 'system:authenticated'] };
  }
}
