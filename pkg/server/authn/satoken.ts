// Service-account tokens: JWTs (ES256, or RS256 with an older RSA sa.key) naming the logical
// cluster, namespace, name and uid of a ServiceAccount. A token authenticates only while that exact ServiceAccount (same uid)
// exists, so deleting — or deleting and recreating — the ServiceAccount revokes its tokens.
// The existence check reads through a short cache (defaults to 1 s) to keep hot paths such
// as syncer heartbeats cheap; revocation therefore takes effect within that window. A token
// that verified is remembered for a few seconds (verified-tokens.ts), so the same token's next
// requests skip the signature verification but never the existence check.
import { randomUUID } from 'node:crypto';
import type { UserInfo } from './user.ts';
import type { TokenAuthenticator } from './authenticator.ts';
import { InvalidTokenError, type JWTClaims, looksLikeJWT, signJWTOffThread, verifyJWT } from './jwt.ts';
import type { SigningKey } from './sakey.ts';
import { VerifiedTokenCache } from './verified-tokens.ts';
import { AUTHENTICATED_GROUP } from './user.ts';

/** UserInfo.extra key carrying the logical cluster a service account lives in (as kcp). */
export const CLUSTER_NAME_EXTRA = 'authentication.kcp.io/cluster-name';
export const SA_USER_PREFIX = 'system:serviceaccount:';
export const DEFAULT_ISSUER = 'https://kplane.default.svc';
export const DEFAULT_AUDIENCE = 'https://kplane.default.svc';
/** TokenRequest bounds (kube: at least 10 minutes; we cap at one year, documented). */
export const MIN_EXPIRATION_SECONDS = 600;
export const MAX_EXPIRATION_SECONDS = 365 * 24 * 3600;
export const DEFAULT_EXPIRATION_SECONDS = 3600;

export interface ServiceAccountRef {
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
}

/** How the authenticator finds a live ServiceAccount's uid (the registry store in kplane). */
export interface ServiceAccountLookup {
  uidOf(cluster: string, namespace: string, name: string): Promise<string | undefined>;
}

export interface ServiceAccountTokensOptions {
  key: SigningKey;
  lookup: ServiceAccountLookup;
  issuer?: string;
  audience?: string;
  /** Milliseconds clock, injected by tests. */
  now?: () => number;
  /** How long a looked-up uid (or its absence) is trusted; defaults to 1000 ms. */
  cacheTTLms?: number;
}

interface KplaneClaims extends JWTClaims {
  'kubernetes.io'?: { namespace?: string; serviceaccount?: { name?: string; uid?: string } };
  'kcp.io/cluster'?: string;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_USER_PREFIX}${namespace}:${name}`;
}

export function serviceAccountUser(ref: ServiceAccountRef): UserInfo {
  return {
    username: serviceAccountUsername(ref.namespace, ref.name),
    uid: ref.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${ref.namespace}`, AUTHENTICATED_GROUP],
    extra: { [CLUSTER_NAME_EXTRA]: [ref.cluster] },
  };
}

/** The logical cluster a user is confined to (service accounts), or undefined for global users. */
export function boundCluster(user: UserInfo): string | undefined {
  return user.extra?.[CLUSTER_NAME_EXTRA]?.[0];
}

export class ServiceAccountTokens implements TokenAuthenticator {
  private readonly key: SigningKey;
  private readonly lookup: ServiceAccountLookup;
  private readonly issuer: string;
  readonly audience: string;
  private readonly now: () => number;
  private readonly ttl: number;
  private readonly cache = new Map<string, { uid: string | undefined; until: number }>();
  private readonly verified: VerifiedTokenCache<ServiceAccountRef>;

  constructor(o: ServiceAccountTokensOptions) {
    this.key = o.key;
    this.lookup = o.lookup;
    this.issuer = o.issuer ?? DEFAULT_ISSUER;
    this.audience = o.audience ?? DEFAULT_AUDIENCE;
    this.now = o.now ?? Date.now;
    this.ttl = o.cacheTTLms ?? 1000;
    this.verified = new VerifiedTokenCache({ now: this.now });
  }

  /**
   * Mint a token (TokenRequest). Resolves to the token and when it expires (ms since epoch);
   * the signature is computed off the event loop.
   */
  async issue(ref: ServiceAccountRef, expirationSeconds: number, audiences: string[] = [this.audience]): Promise<{ token: string; expiresAt: number }> {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + expirationSeconds;
    const claims: KplaneClaims = {
      iss: this.issuer,
      sub: serviceAccountUsername(ref.namespace, ref.name),
      aud: audiences,
      iat,
      nbf: iat,
      exp,
      jti: randomUUID(),
      'kcp.io/cluster': ref.cluster,
      'kubernetes.io': { namespace: ref.namespace, serviceaccount: { name: ref.name, uid: ref.uid } },
    };
    return { token: await signJWTOffThread(claims, this.key.privateKey), expiresAt: exp * 1000 };
  }

  async authenticateToken(token: string): Promise<UserInfo | undefined> {
    if (!looksLikeJWT(token)) return undefined;
    const ref = this.verified.get(token) ?? this.verify(token);
    if (!ref) return undefined;
    const liveUid = await this.liveUid(ref.cluster, ref.namespace, ref.name);
    if (liveUid === undefined || liveUid !== ref.uid) return undefined;
    return serviceAccountUser(ref);
  }

  /**
   * The ServiceAccount a token validly names (signature, time, issuer, audience, claims), or
   * undefined; a valid one is remembered (verified-tokens.ts) until it expires, for 10 s at most.
   */
  private verify(token: string): ServiceAccountRef | undefined {
    let claims: KplaneClaims;
    try {
      claims = verifyJWT(token, this.key.publicKey, Math.floor(this.now() / 1000));
    } catch (err) {
      if (err instanceof InvalidTokenError) return undefined;
      throw err;
    }
    if (claims.iss !== this.issuer || !Array.isArray(claims.aud) || !claims.aud.includes(this.audience)) return undefined;
    const ref = refFromClaims(claims);
    // verifyJWT refuses a token without a numeric exp.
    if (ref) this.verified.set(token, ref, (claims.exp ?? 0) * 1000);
    return ref;
  }

  private async liveUid(cluster: string, namespace: string, name: string): Promise<string | undefined> {
    const key = `${cluster}|${namespace}/${name}`;
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.uid;
    const uid = await this.lookup.uidOf(cluster, namespace, name);
    // Bounded: a flood of distinct (validly signed) tokens cannot grow memory without end.
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { uid, until: now + this.ttl });
    return uid;
  }
}

function refFromClaims(c: KplaneClaims): ServiceAccountRef | undefined {
  const k = c['kubernetes.io'];
  const cluster = c['kcp.io/cluster'];
  const namespace = k?.namespace;
  const name = k?.serviceaccount?.name;
  const uid = k?.serviceaccount?.uid;
  if (typeof cluster !== 'string' || typeof namespace !== 'string' || typeof name !== 'string' || typeof uid !== 'string') return undefined;
  if (c.sub !== serviceAccountUsername(namespace, name)) return undefined;
  return { cluster, namespace, name, uid };
}
