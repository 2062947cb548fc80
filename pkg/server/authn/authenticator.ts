// Authentication: who is calling. The chain tries each authenticator; the first that
// recognises the credentials wins. Missing credentials are anonymous (allowed only for the
// public endpoints); presented-but-invalid credentials are always 401.
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../handlers/context.ts';

export type AuthResult = { user: UserInfo } | { anonymous: true } | { error: string };

export interface TokenAuthenticator {
  /** undefined = not mine; a user = authenticated. */
  authenticateToken(token: string): Promise<UserInfo | undefined> | UserInfo | undefined;
}

export const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

export class AuthenticatorChain {
  private readonly tokenAuthenticators: TokenAuthenticator[];

  constructor(tokenAuthenticators: TokenAuthenticator[]) {
    this.tokenAuthenticators = tokenAuthenticators;
  }

  async authenticate(req: IncomingMessage): Promise<AuthResult> {
    const header = req.headers.authorization;
    if (header === undefined || header === '') return { anonymous: true };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return { error: 'unsupported authorization scheme' };
    const token = m[1]!;
    for (const a of this.tokenAuthenticators) {
      const user = await a.authenticateToken(token);
      if (user) return { user };
    }
    return { error: 'invalid bearer token' };
  }
}
