// What every resource handler gets: the parsed request, its resource declaration and store,
// the user it acts as (authenticated, or impersonated), and the server-wide collaborators.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDefinition } from '../../../apis/resource.ts';
import type { Logger } from '../../log/logger.ts';
import type { ResourceStore } from '../registry/store.ts';
import type { ResourceRequestInfo } from '../request/requestinfo.ts';
import type { Registry } from '../registry/registry.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { SecurityServices } from '../authz/services.ts';
import { StatusError } from '../../apierrors/errors.ts';
import type { UserInfo } from '../authn/user.ts';
import { queryBool } from '../request/bool.ts';
import type { ObjectView } from './object-view.ts';

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: ResourceRequestInfo;
  def: ResourceDefinition;
  store: ResourceStore;
  registry: Registry;
  lifecycle: Lifecycle;
  user: UserInfo;
  /** Authorizer and token issuer, for Self*Reviews and TokenRequest. */
  security: SecurityServices;
  logger: Logger;
  now: () => number;
  /** Aborted when the request's deadline passes (504 already sent) or the client went away: stop working. */
  signal: AbortSignal;
  /** Resolves when the server starts shutting down (watches end cleanly then). */
  shutdown: AbortSignal;
  /** Set under a restricted view (the syncer view): only its objects exist, only its writes pass (view.ts). */
  view?: ObjectView;
}

/** A boolean query parameter, parsed by the one shared parser (request/bool.ts). */
export function queryFlag(url: URL, name: string): boolean {
  return queryBool(url, name);
}

export function isDryRun(url: URL): boolean {
  const values = url.searchParams.getAll('dryRun');
  // An unknown value must not silently become a real write (kube answers 422 as well).
  const bad = values.filter((v) => v !== 'All');
  if (bad.length > 0) {
    throw new StatusError('Invalid', `dryRun: Unsupported value: ${JSON.stringify(bad)}: supported values: "All"`, {
      causes: [{ reason: 'FieldValueNotSupported', field: 'dryRun', message: 'supported values: "All"' }],
    });
  }
  return values.includes('All');
}

/** fieldManager from the query, else the user agent's product token (kube's default). */
export function fieldManager(ctx: HandlerContext): string {
  const fromQuery = ctx.url.searchParams.get('fieldManager');
  if (fromQuery) return fromQuery;
  const ua = ctx.req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0]!.slice(0, 128) || 'unknown';
}
