// First-start bootstrap of the admin identity, like kcp's `.admin-token-store`: a random
// bearer token whose SHA-256 is kept on disk; the plaintext lives only in admin.kubeconfig.
// Several replicas sharing a root dir therefore agree on the admin token.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

export const ADMIN_USER = 'kplane-admin';
export const ADMIN_GROUPS = ['system:masters', 'system:authenticated'];

const STORE_FILE = '.admin-token-store';
const KUBECONFIG_FILE = 'admin.kubeconfig';

export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export function tokenMatchesHash(token: string, hashHex: string): boolean {
  return tokenMatchesDigest(token, Buffer.from(hashHex, 'hex'));
}

/**
 * Whether token's SHA-256 is `digest`, compared in constant time. The one-shot hash, not a
 * Hash object's update and digest: the admin authenticator runs this on every request that
 * carries an opaque bearer token (~2 % of the API server's thread under wrk, with the hex
 * round trips this skips).
 */
export function tokenMatchesDigest(token: string, digest: Buffer): boolean {
  const a = hash('sha256', token, 'buffer');
  return a.length === digest.length && timingSafeEqual(a, digest);
}

interface TokenStore {
  user: string;
  sha256: string;
}

/** Returns the admin token hash, and the plaintext token when it is known (first start or kubeconfig present). */
/** The admin token's hash (what the authenticator checks) and, when recoverable, the token. */
export interface AdminToken {
  sha256: string;
  token: string | undefined;
}

export function ensureAdminToken(rootDir: string): AdminToken {
  mkdirSync(rootDir, { recursive: true });
  const storePath = join(rootDir, STORE_FILE);
  if (existsSync(storePath)) {
    const store = JSON.parse(readFileSync(storePath, 'utf8')) as TokenStore;
    const fromKubeconfig = readAdminTokenFromKubeconfig(rootDir);
    if (fromKubeconfig && tokenMatchesHash(fromKubeconfig, store.sha256)) {
      return { sha256: store.sha256, token: fromKubeconfig };
    }
    if (fromKubeconfig === undefined) return { sha256: store.sha256, token: undefined };
  }
  // First start, or the kubeconfig holds a token that no longer matches: mint a new one.
  const token = randomBytes(32).toString('base64url');
  const store: TokenStore = { user: ADMIN_USER, sha256: hashToken(token) };
  writeFileSync(storePath, JSON.stringify(store) + '\n', { mode: 0o600 });
  return { sha256: store.sha256, token };
}

function readAdminTokenFromKubeconfig(rootDir: string): string | undefined {
  const path = join(rootDir, KUBECONFIG_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const doc = YAML.parse(readFileSync(path, 'utf8')) as { users?: { name: string; user?: { token?: string } }[] };
    return doc.users?.find((u) => u.name === ADMIN_USER)?.user?.token;
  } catch {
    // A hand-edited, unparsable kubeconfig is replaced by a fresh one below.
    return undefined;
  }
}

export interface KubeconfigParams {
  /** Server base URL without a path, e.g. https://127.0.0.1:6443 */
  server: string;
  caPem: string;
  token: string;
  user?: string;
  /** Contexts: name → logical cluster path ('' means the server root). */
  contexts: Record<string, string>;
  currentContext: string;
}

/** Render a kubeconfig with one cluster entry per context (kcp's layout: root → /clusters/root, base → /). */
export function renderKubeconfig(p: KubeconfigParams): string {
  const user = p.user ?? ADMIN_USER;
  const caData = Buffer.from(p.caPem).toString('base64');
  const names = Object.keys(p.contexts);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: names.map((name) => ({
      name,
      cluster: {
        server: p.contexts[name] ? `${p.server}/clusters/${p.contexts[name]}` : p.server,
        'certificate-authority-data': caData,
      },
    })),
    users: [{ name: user, user: { token: p.token } }],
    contexts: names.map((name) => ({ name, context: { cluster: name, user } })),
    'current-context': p.currentContext,
  };
  return YAML.stringify(doc);
}

/** Write `<rootDir>/admin.kubeconfig` (contexts `root` → /clusters/root, current; `base` → server root). */
export function writeAdminKubeconfig(rootDir: string, server: string, caPem: string, token: string): string {
  const path = join(rootDir, KUBECONFIG_FILE);
  const body = renderKubeconfig({ server, caPem, token, contexts: { root: 'root', base: '' }, currentContext: 'root' });
  writeFileSync(path, body, { mode: 0o600 });
  return path;
}
