// Client certificates signed by kplane's CA: CN is the user name, each O a group (the
// Kubernetes convention). TLS already verified the chain against the CA (`authorized`);
// a certificate that failed verification is a bad credential (401), not anonymity.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from './user.ts';
import { AUTHENTICATED_GROUP } from './user.ts';

export type CertResult = { user: UserInfo } | { error: string } | undefined;

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function authenticateClientCert(req: IncomingMessage): CertResult {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined; // none presented
  if (!socket.authorized) return { error: 'client certificate is not signed by the kplane CA' };
  const cn = asList(cert.subject?.CN)[0];
  if (!cn) return { error: 'client certificate has no common name' };
  const groups = asList(cert.subject?.O).filter((g) => g !== '');
  if (!groups.includes(AUTHENTICATED_GROUP)) groups.push(AUTHENTICATED_GROUP);
  return { user: { username: cn, groups } };
}
