// Minimal JSON Web Tokens (RFC 7519) on node:crypto: just what service-account tokens need,
// signed RS256 (an RSA key) or ES256 (an ECDSA P-256 key), as kube-apiserver's service-account
// keys may be either. The algorithm is the key's, never the token's: verification accepts only
// the header alg that matches its key (no `none`, no HMAC or RSA/ECDSA confusion), then checks
// the signature and the time claims; callers check issuer, audience and subject claims.
import { type KeyObject, sign, type SignKeyObjectInput, verify, type VerifyKeyObjectInput } from 'node:crypto';

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

export type JWTAlgorithm = 'RS256' | 'ES256';

/** A key's algorithm and how node:crypto must be called with it, worked out once per key. */
interface KeyUse {
  alg: JWTAlgorithm;
  /** The default header (no kid), encoded. */
  header: string;
  /** ES256 signatures are r || s (RFC 7518 §3.4), not node's default DER. */
  input: SignKeyObjectInput & VerifyKeyObjectInput;
}

const uses = new WeakMap<KeyObject, KeyUse>();

/** The JWS algorithm a signing or verification key implies; throws for any other kind of key. */
export function jwtAlgorithmOf(key: KeyObject): JWTAlgorithm {
  return keyUse(key).alg;
}

function keyUse(key: KeyObject): KeyUse {
  let use = uses.get(key);
  if (use === undefined) {
    const alg = algorithmOf(key);
    use = {
      alg,
      header: encodeHeader(alg),
      input: alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : { key },
    };
    uses.set(key, use);
  }
  return use;
}

function algorithmOf(key: KeyObject): JWTAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`unsupported service-account key: ${key.asymmetricKeyType ?? key.type} (want RSA or ECDSA P-256)`);
}

function encodeHeader(alg: JWTAlgorithm, keyId?: string): string {
  return Buffer.from(JSON.stringify(keyId ? { alg, kid: keyId } : { alg, typ: 'JWT' })).toString('base64url');
}

/** The JWS signing input: base64url(header) "." base64url(claims). */
function signingInput(use: KeyUse, claims: JWTClaims, keyId?: string): string {
  const header = keyId ? encodeHeader(use.alg, keyId) : use.header;
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
}

export function signJWT(claims: JWTClaims, privateKey: KeyObject, keyId?: string): string {
  const use = keyUse(privateKey);
  const input = signingInput(use, claims, keyId);
  return `${input}.${sign('sha256', Buffer.from(input), use.input).toString('base64url')}`;
}

/**
 * signJWT with the signature computed on libuv's thread pool, so the API server's event loop
 * does not wait for it (a fleet's new SyncTargets each mint one token). On the 2-core
 * benchmark machine that thread competes for the same cores, so the signature's cost still
 * counts: an RS256 signature is ~280 µs of CPU, an ES256 one ~50 µs (sakey.ts makes new keys
 * ECDSA for that reason).
 */
export function signJWTOffThread(claims: JWTClaims, privateKey: KeyObject, keyId?: string): Promise<string> {
  const use = keyUse(privateKey);
  const input = signingInput(use, claims, keyId);
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(input), use.input, (err, signature) => {
      if (err) reject(err);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}

/** Does this look like a JWT at all? (Other authenticators get tokens that are not.) */
export function looksLikeJWT(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token) && token.startsWith('eyJ');
}

/** Verify a JWT signed with publicKey's algorithm and return its claims; `nowSeconds` is injected for tests. */
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
  const use = keyUse(publicKey);
  if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== use.alg) {
    throw new InvalidTokenError('unsupported token algorithm');
  }
  let valid: boolean;
  try {
    valid = verify('sha256', Buffer.from(`${h}.${p}`), use.input, Buffer.from(s, 'base64url'));
  } catch {
    // node:crypto throws on some malformed signatures (a wrong length for ES256) instead of
    // returning false: the same answer either way.
    valid = false;
  }
  if (!valid) throw new InvalidTokenError('invalid token signature');
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new InvalidTokenError('malformed token claims');
  const c = claims as JWTClaims;
  if (typeof c.exp !== 'number' || c.exp <= nowSeconds) throw new InvalidTokenError('token has expired');
  if (typeof c.nbf === 'number' && c.nbf > nowSeconds + 60) throw new InvalidTokenError('token is not valid yet');
  return c;
}
