// The request context the filter chain threads through a request (kube-apiserver keeps the
// same facts in Go's request context). It is ONE object per request: each filter adds what it
// established (request info, deadline, users) onto it, so the outer observers — request log,
// audit, metrics — read after the inner chain returned what the inner filters learnt.
// The stage types below make each filter's precondition a compile-time fact: a filter that
// needs an authenticated user takes an AuthenticatedContext, so nothing asserts `user!`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../authn/user.ts';
import type { RequestInfo } from '../request/requestinfo.ts';

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Wall-clock milliseconds when the request reached the chain (audit's requestReceivedTimestamp). */
  readonly receivedAt: number;
  /** Monotonic start, for the latency the request log reports. */
  readonly startedAt: bigint;
  // Set by the filters as the request passes them (see the stage types below).
  url?: URL;
  info?: RequestInfo;
  auditID?: string;
  /** Aborted when the request's deadline passes or the client goes away. */
  signal?: AbortSignal;
  /** Who presented the credentials. */
  authenticatedUser?: UserInfo;
  /** Whom the request acts as: the authenticated user, or the impersonated one. */
  user?: UserInfo;
  /** Set only when the request impersonates someone (then equal to `user`). */
  impersonatedUser?: UserInfo;
}

/** After the request-info filter: the path is parsed. */
export type InfoContext = RequestContext & { url: URL; info: RequestInfo };
/** After the timeout filter: the work can be aborted. */
export type DeadlineContext = InfoContext & { signal: AbortSignal };
/** After authentication (anonymous included): every request has a user from here on. */
export type AuthenticatedContext = DeadlineContext & { authenticatedUser: UserInfo; user: UserInfo };

export type Handler<C extends RequestContext> = (c: C) => Promise<void>;
/** A filter wraps the next handler; `Out` is what it guarantees to the handlers inside it. */
export type Filter<In extends RequestContext, Out extends RequestContext> = (next: Handler<Out>) => Handler<In>;

/**
 * Add facts to the request's one context object (not a copy: the outer filters hold the same
 * object and must see them).
 */
export function extend<C extends RequestContext, X extends Partial<RequestContext>>(c: C, facts: X): C & X {
  return Object.assign(c, facts);
}
