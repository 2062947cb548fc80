// Minimal RS256 JSON Web Tokens (RFC 7519) on node:crypto: just what service-account tokens
// need. Verification checks the header's alg (only RS256: no `none`, no HMAC confusion), the
// signature, and the time claims; callers check issuer, audience and subject claims.
import { createSign, createVerify, type KeyObject, sign } from 'node:crypto';

export interface JWTClaims {
  iss?: string;
  sub?: string;
  aud?: string[];
  exp?: number;
  iat?: number;
  nbf?: number;
  jti?: string;
  [claim: string]: unknown;
}

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');

/** The JWS signing input: base64url(header) "." base64url(claims). */
function signingInput(claims: JWTClaims, keyId?: string): string {
  const header = keyId ? Buffer.from(JSON.stringify({ alg: 'RS256', kid: keyId })).toString('base64url') : HEADER;
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
}

export function signJWT(claims: JWTClaims, privateKey: KeyObject, keyId?: string): string {
  const input = signingInput(claims, keyId);
  const signer = createSign('RSA-SHA256');
  signer.update(input);
  return `${input}.${signer.sign(privateKey).toString('base64url')}`;
}

/**
 * signJWT with the RSA signature computed on libuv's thread pool: about a millisecond of CPU
 * per token that the API server's event loop does not spend (a fleet's new SyncTargets each
 * mint one). PKCS #1 v1.5 signatures are deterministic, so the token is the same either way.
 */
export function signJWTOffThread(claims: JWTClaims, privateKey: KeyObject, keyId?: string): Promise<string> {
  const input = signingInput(claims, keyId);
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(input), privateKey, (err, signature) => {
      if (err) reject(err);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}

/** Does this look like a JWT at all? (Other authenticators get tokens that are not.) */
export function looksLikeJWT(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token) && token.startsWith('eyJ');
}

/** Verify an RS256 JWT and return its claims; `nowSeconds` is injected for tests. */
export function verifyJWT(token: string, publicKey: KeyObject, nowSeconds: number): JWTClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('malformed token');
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError('malformed token');
  }
  if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== 'RS256') {
    throw new InvalidTokenError('unsupported token algorithm');
  }
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${h}.${p}`);
  if (!verifier.verify(publicKey, Buffer.from(s, 'base64url'))) throw new InvalidTokenError('invalid token signature');
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new InvalidTokenError('malformed token claims');
  const c = claims as JWTClaims;
  if (typeof c.exp !== 'number' || c.exp <= nowSeconds) throw new InvalidTokenError('token has expired');
  if (typeof c.nbf === 'number' && c.nbf > nowSeconds + 60) throw new InvalidTokenError('token is not valid yet');
  return c;
}
