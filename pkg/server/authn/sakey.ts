// The service-account signing key, generated at first start and kept at `<root-dir>/sa.key`
// (mode 0600), so tokens survive restarts and replicas sharing a root dir agree. Deleting the
// file revokes every service-account token at the next start.
//
// New keys are ECDSA P-256 (tokens signed ES256): minting a token is then ~50 µs of CPU instead
// of ~280 µs for RSA, which a fleet's bulk creation pays once per SyncTarget, and the tokens are
// ~260 bytes shorter on every request a syncer makes. A root dir from an earlier version keeps
// its RSA key and RS256 tokens, as does any RSA key an operator puts there.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtAlgorithmOf } from './jwt.ts';

export const SA_KEY_FILE = 'sa.key';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function ensureServiceAccountKey(rootDir: string): SigningKey {
  mkdirSync(rootDir, { recursive: true });
  const path = join(rootDir, SA_KEY_FILE);
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    // wx: two replicas racing on first start must not overwrite each other's key.
    try {
      writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  // A key no token can be signed with (an Ed25519 key, another curve) fails the start, not the
  // first TokenRequest.
  jwtAlgorithmOf(privateKey);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
