// The request filter chain, composed in this one place (kube-apiserver's
// DefaultBuildHandlerChain). Outermost first, a request passes:
//
//   request log      one line per request, after it is answered
//   request info     path → RequestInfo (400/405 for unparseable paths)
//   audit            Audit-ID header; an audit.k8s.io Event when the request is answered
//   metrics          apiserver_request_total / _duration_seconds / inflight gauges
//   panic recovery   any thrown error → metav1.Status (unexpected ones: logged 500)
//   timeout          504 after --request-timeout or ?timeout= (watches exempt); AbortSignal
//   authentication   401 for bad credentials, anonymous only on public paths
//   in-flight limit  429 + Retry-After beyond the global or the per-client bound
//   impersonation    Impersonate-* headers, each authorised with the `impersonate` verb
//   authorization    403 unless the (impersonated) user may do this in this logical cluster
//                    (under a syncer view: unless it is the SyncTarget's syncer or a master)
//   the API          routing: health, version, discovery, OpenAPI, resources
//
// Each filter's context type states what it may rely on (see context.ts), so the composition
// below only type-checks in an order where every filter's precondition holds.
import type { Logger } from '../../log/logger.ts';
import type { AuthenticatorChain } from '../authn/authenticator.ts';
import type { AuditSink } from '../audit/sink.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import type { SyncerViewAuthorizer } from '../syncerview/authorizer.ts';
import { withAudit } from './audit.ts';
import { withAuthentication } from './authentication.ts';
import { withAuthorization } from './authorization.ts';
import type { AuthenticatedContext, Handler, RequestContext } from './context.ts';
import { withImpersonation } from './impersonation.ts';
import { type InflightLimits, withInflightLimit } from './inflight.ts';
import { type RequestMetrics, withMetrics } from './metrics.ts';
import { withPanicRecovery } from './recovery.ts';
import { withRequestInfo } from './requestinfo.ts';
import { withRequestLog } from './requestlog.ts';
import { withTimeout } from './timeout.ts';

export interface HandlerChainConfig {
  logger: Logger;
  authenticator: AuthenticatorChain;
  authorizer: Authorizer;
  /** Who may use a syncer view (`/services/syncer/…`); absent: those paths are 404. */
  syncerView?: SyncerViewAuthorizer | undefined;
  inflight: InflightLimits;
  /** The server's request timeout (and cap for ?timeout=); defaults to 60 s. */
  requestTimeoutMs?: number | undefined;
  metrics?: RequestMetrics | undefined;
  /** Where audit events go; without it requests still get an Audit-ID. */
  audit?: AuditSink | undefined;
}

export function buildHandlerChain(api: Handler<AuthenticatedContext>, c: HandlerChainConfig): Handler<RequestContext> {
  // Innermost first, as kube composes it.
  const authorized = withAuthorization(c.authorizer, c.syncerView)(api);
  const impersonated = withImpersonation(c.authorizer)(authorized);
  const limited = withInflightLimit(c.inflight)(impersonated);
  const authenticated = withAuthentication(c.authenticator)(limited);
  const timed = withTimeout({ maxMs: c.requestTimeoutMs, logger: c.logger })(authenticated);
  const recovered = withPanicRecovery(c.logger)(timed);
  const metered = c.metrics ? withMetrics(c.metrics)(recovered) : recovered;
  const audited = withAudit(c.audit)(metered);
  const parsed = withRequestInfo()(audited);
  return withRequestLog(c.logger)(parsed);
}
