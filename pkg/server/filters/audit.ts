// Audit filter: gives every request an audit ID (a UUID, returned as the `Audit-ID` response
// header as kube does) and, when an audit log is configured, records one audit.k8s.io/v1
// Event once the request is answered — after authentication and impersonation decided the
// users, so the event names both the real and the impersonated one.
import { randomUUID } from 'node:crypto';
import { auditEvent } from '../audit/event.ts';
import type { AuditSink } from '../audit/sink.ts';
import { extend, type Filter, type InfoContext } from './context.ts';

export function withAudit(sink: AuditSink | undefined, now: () => number = Date.now): Filter<InfoContext, InfoContext> {
  return (next) => async (c) => {
    const auditID = randomUUID();
    extend(c, { auditID });
    c.res.setHeader('Audit-ID', auditID);
    try {
      await next(c);
    } finally {
      sink?.write(
        auditEvent({
          auditID,
          requestURI: c.req.url ?? '/',
          info: c.info,
          user: c.authenticatedUser,
          impersonatedUser: c.impersonatedUser,
          sourceIP: c.req.socket.remoteAddress,
          userAgent: c.req.headers['user-agent'],
          code: c.res.statusCode,
          receivedAt: c.receivedAt,
          completedAt: now(),
        }),
      );
    }
  };
}
