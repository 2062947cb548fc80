// The service-account signing key: an RSA key generated at first start and kept at
// `<root-dir>/sa.key` (mode 0600), so tokens survive restarts and replicas sharing a root
// dir agree. Deleting the file revokes every service-account token at the next start.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SA_KEY_FILE = 'sa.key';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function ensureServiceAccountKey(rootDir: string): SigningKey {
  mkdirSync(rootDir, { recursive: true });
  const path = join(rootDir, SA_KEY_FILE);
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // wx: two replicas racing on first start must not overwrite each other's key.
    try {
      writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
