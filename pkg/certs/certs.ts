// Package certs creates kplane's self-signed CA and the serving certificate on first start
// and reuses them afterwards, so kubeconfigs written once keep working across restarts.
// Keys come from node:crypto (fast, native); node-forge only assembles and signs X.509.
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

const CA_DAYS = 3650;
const SERVING_DAYS = 365;
/** Regenerate a serving certificate this long before it expires. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

function newRsaKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * A positive 128-bit serial whose first byte is 0x01–0x7f: the top bit clear, or DER reads it as
 * negative, and never 0x00, which forge would encode as a redundant leading zero that OpenSSL
 * refuses ("asn1 encoding routines::illegal padding"): one fresh start in ~128 failed that way.
 */
export function serialNumber(random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(16);
  bytes[0] = ((bytes[0] ?? 0) % 0x7f) + 1;
  return bytes.toString('hex');
}

function baseCert(keyPem: string, days: number): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  // Back-date by an hour so that small clock differences between hosts do not reject it.
  cert.validity.notBefore = new Date(now - 3600_000);
  cert.validity.notAfter = new Date(now + days * 24 * 3600_000);
  return { cert, key };
}

export function createCA(commonName = 'kplane-ca'): KeyPair {
  const keyPem = newRsaKeyPem();
  const { cert, key } = baseCert(keyPem, CA_DAYS);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

export interface LeafOptions {
  commonName: string;
  organizations?: string[];
  /** DNS names and IP addresses for a serving certificate. */
  hosts?: string[];
  usage: 'server' | 'client';
  days?: number;
}

/** Issue a certificate signed by the CA (serving certificates and client certificates). */
export function issueCertificate(ca: KeyPair, opts: LeafOptions): KeyPair {
  const keyPem = newRsaKeyPem();
  const { cert } = baseCert(keyPem, opts.days ?? SERVING_DAYS);
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const subject: forge.pki.CertificateField[] = [{ name: 'commonName', value: opts.commonName }];
  for (const o of opts.organizations ?? []) subject.push({ name: 'organizationName', value: o });
  cert.setSubject(subject);
  cert.setIssuer(caCert.subject.attributes);
  const altNames = (opts.hosts ?? []).map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h }));
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: opts.usage === 'server', clientAuth: opts.usage === 'client' },
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

function readPair(certFile: string, keyFile: string): KeyPair | undefined {
  if (!existsSync(certFile) || !existsSync(keyFile)) return undefined;
  return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}

function writePair(certFile: string, keyFile: string, pair: KeyPair): void {
  writeFileSync(certFile, pair.certPem, { mode: 0o644 });
  writeFileSync(keyFile, pair.keyPem, { mode: 0o600 });
}

export interface ServingMaterial {
  ca: KeyPair;
  serving: KeyPair;
  caFile: string;
}

/**
 * Load or create `<dir>/ca.{crt,key}` and `<dir>/apiserver.{crt,key}`. The serving
 * certificate is reissued when it lacks one of `hosts` or is about to expire; the CA is
 * never replaced, so clients that trust it keep working.
 */
export function ensureServingMaterial(dir: string, hosts: string[]): ServingMaterial {
  mkdirSync(dir, { recursive: true });
  const caFile = join(dir, 'ca.crt');
  let ca = readPair(caFile, join(dir, 'ca.key'));
  if (!ca) {
    ca = createCA();
    writePair(caFile, join(dir, 'ca.key'), ca);
  }
  const certFile = join(dir, 'apiserver.crt');
  const keyFile = join(dir, 'apiserver.key');
  let serving = readPair(certFile, keyFile);
  if (!serving || !coversHosts(serving.certPem, hosts) || expiresSoon(serving.certPem)) {
    serving = issueCertificate(ca, { commonName: 'kplane', hosts, usage: 'server' });
    writePair(certFile, keyFile, serving);
  }
  return { ca, serving, caFile };
}

function coversHosts(certPem: string, hosts: string[]): boolean {
  const cert = new X509Certificate(certPem);
  return hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h) !== undefined));
}

function expiresSoon(certPem: string): boolean {
  const cert = new X509Certificate(certPem);
  return new Date(cert.validTo).getTime() - Date.now() < RENEW_BEFORE_MS;
}
