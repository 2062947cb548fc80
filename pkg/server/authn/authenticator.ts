// Authentication: who is calling. A bearer token, when present, decides alone (the first
// token authenticator that recognises it wins; an unrecognised token is a 401 even if a
// client certificate is also presented). Without a token, a client certificate signed by
// kplane's CA identifies the caller. Missing credentials are anonymous (allowed only for
// the public endpoints); presented-but-invalid credentials are always 401.
// Tokens are never logged: error strings here name the mechanism, never the credential.
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from './user.ts';
import { authenticateClientCert } from './x509.ts';

export type AuthResult = { user: UserInfo } | { anonymous: true } | { error: string };

export interface TokenAuthenticator {
  /** undefined = not mine; a user = authenticated. */
  authenticateToken(token: string): Promise<UserInfo | undefined> | UserInfo | undefined;
}

export interface AuthenticatorChainOptions {
  /** Accept client certificates verified against kplane's CA; defaults to true. */
  clientCertificates?: boolean;
}

export class AuthenticatorChain {
  private readonly tokenAuthenticators: TokenAuthenticator[];
  private readonly clientCertificates: boolean;

  constructor(tokenAuthenticators: TokenAuthenticator[], opts: AuthenticatorChainOptions = {}) {
    this.tokenAuthenticators = tokenAuthenticators;
    this.clientCertificates = opts.clientCertificates ?? true;
  }

  async authenticate(req: IncomingMessage): Promise<AuthResult> {
    const header = req.headers.authorization;
    if (header === undefined || header === '') {
      if (this.clientCertificates) {
        const cert = authenticateClientCert(req);
        if (cert) return cert;
      }
      return { anonymous: true };
    }
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
