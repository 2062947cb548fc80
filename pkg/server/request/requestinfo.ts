// RequestInfo splits a request path into the parts the API server routes on, the way
// kube-apiserver's RequestInfoFactory does, with kcp's `/clusters/<path>` prefix in front.
//
//   /clusters/root:org/apis/workload.kcp.io/v1alpha1/synctargets/edge-1/status
//   └─ cluster ───────┘└ prefix┘└─ group ─────┘└ ver ──┘└ resource ┘└ name ┘└ sub ┘
//
// Paths without the prefix are served as the `root` logical cluster (documented in
// docs/api-compatibility.md) so that tools which strip prefixes still reach something sane.
import { newBadRequest, newMethodNotAllowed, StatusError } from '../../apierrors/errors.ts';
import { isValidPath, ROOT, WILDCARD } from '../../logicalcluster/path.ts';
import { checkBoolParams, queryBool } from './bool.ts';

export type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection';

/**
 * The syncer view a request came in under (`/services/syncer/<workspace>/<name>/<uid>/…`, see
 * pkg/server/syncerview): the rest of the path was parsed as usual into the fields beside it.
 */
export interface SyncerViewRef {
  /** Workspace path of the SyncTarget. */
  workspace: string;
  /** The SyncTarget's name. */
  syncTarget: string;
  /** The SyncTarget's uid, as the syncer knows it (a recreated SyncTarget is another view). */
  uid: string;
}

export interface ResourceRequestInfo {
  isResourceRequest: true;
  /** Set for requests under a syncer view root. */
  view?: SyncerViewRef;
  cluster: string;
  /** True for `/clusters/*`: every logical cluster at once (list/watch only). */
  wildcard: boolean;
  /** The path after the cluster prefix, e.g. `/apis/g/v/things`. */
  path: string;
  verb: Verb;
  apiPrefix: 'api' | 'apis';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
}

export interface NonResourceRequestInfo {
  isResourceRequest: false;
  /** Set for requests under a syncer view root. */
  view?: SyncerViewRef;
  cluster: string;
  wildcard: boolean;
  /** The path after the cluster prefix, e.g. `/apis` or `/openapi/v3`. */
  path: string;
  verb: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

const CLUSTERS_PREFIX = '/clusters/';

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw newBadRequest(`malformed path segment "${s}"`);
  }
}

/** Strip `/clusters/<path>`; returns the cluster and the rest of the path. */
export function splitClusterPath(pathname: string): { cluster: string; wildcard: boolean; rest: string } {
  if (!pathname.startsWith(CLUSTERS_PREFIX)) return { cluster: ROOT, wildcard: false, rest: pathname };
  const after = pathname.slice(CLUSTERS_PREFIX.length);
  const slash = after.indexOf('/');
  const cluster = decodeSegment(slash < 0 ? after : after.slice(0, slash));
  const rest = slash < 0 ? '/' : after.slice(slash);
  if (cluster === WILDCARD) return { cluster, wildcard: true, rest };
  if (!isValidPath(cluster)) {
    throw newBadRequest(
      `invalid logical cluster path "${cluster}": segments must match [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])? joined by ":"`,
    );
  }
  return { cluster, wildcard: false, rest };
}

/** Subresources of a Namespace (kube's namespaceSubresources): `/namespaces/<name>/<sub>`. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function notFound(): StatusError {
  return new StatusError('NotFound', 'the server could not find the requested resource', {});
}

const READ_VERBS_BY_METHOD: Record<string, Verb> = { GET: 'get', HEAD: 'get' };

/**
 * Parse method + URL into a RequestInfo. Throws a StatusError (400/405) for paths that are
 * malformed, never for unknown resources (routing decides 404 later).
 */
export function parseRequestInfo(method: string, url: URL): RequestInfo {
  const { cluster, wildcard, rest } = splitClusterPath(url.pathname);
  const parts = rest.split('/').filter((p) => p.length > 0).map(decodeSegment);
  const lowerMethod = method.toLowerCase();

  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') {
    return { isResourceRequest: false, cluster, wildcard, path: rest, verb: lowerMethod };
  }
  let i = 1;
  let group = '';
  if (prefix === 'apis') {
    if (parts.length < 3) return { isResourceRequest: false, cluster, wildcard, path: rest, verb: lowerMethod };
    group = parts[i++] ?? '';
  } else if (parts.length < 2) {
    return { isResourceRequest: false, cluster, wildcard, path: rest, verb: lowerMethod };
  }
  const version = parts[i++] ?? '';
  if (parts.length <= i) {
    // /apis/<g>/<v> or /api/v1: discovery.
    return { isResourceRequest: false, cluster, wildcard, path: rest, verb: lowerMethod };
  }

  // Legacy watch paths (`/api/v1/watch/namespaces/<ns>/configmaps[/<name>]`): deprecated
  // since 1.11 but still served by kube 1.32, and the only way some clients watch.
  const legacyWatch = parts[i] === 'watch';
  if (legacyWatch) {
    i++;
    if (parts.length <= i) throw newBadRequest(`unable to determine kind and namespace from url ${url.pathname}`);
  }

  // `/namespaces/<ns>/<resource>…` scopes a namespaced resource; `/namespaces/<name>` and
  // its `status`/`finalize` subresources address the Namespace object itself, which is
  // cluster-scoped (namespace stays '').
  let namespace = '';
  if (parts[i] === 'namespaces' && parts.length > i + 2 && !NAMESPACE_SUBRESOURCES.has(parts[i + 2]!)) {
    namespace = parts[i + 1] ?? '';
    i += 2;
    // Namespaces do not nest: kube has no route for `/namespaces/<ns>/namespaces[/…]`. Refusing
    // it here keeps the URL's namespace from ever authorising a cluster-wide Namespace verb
    // (a namespace admin must not delete every namespace through its own RoleBindings).
    if (parts[i] === 'namespaces') throw notFound();
  }
  const resource = parts[i++] ?? '';
  const name = parts[i++] ?? '';
  const subresource = parts[i++] ?? '';
  if (parts.length > i) throw newBadRequest(`unexpected path segments after "${subresource}"`);
  let verb: Verb;
  checkBoolParams(url);
  const isWatch = legacyWatch || queryBool(url, 'watch');
  if (legacyWatch && method !== 'GET' && method !== 'HEAD') throw newMethodNotAllowed(`${method} is not allowed on a watch path`);
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = name ? (isWatch ? 'watch' : READ_VERBS_BY_METHOD[method] ?? 'get') : isWatch ? 'watch' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      throw newMethodNotAllowed(`method ${method} is not supported`);
  }
  if (wildcard && verb !== 'list' && verb !== 'watch') {
    throw new StatusError('MethodNotAllowed', `the wildcard cluster "*" supports only list and watch, not ${verb}`);
  }
  return {
    isResourceRequest: true,
    cluster,
    wildcard,
    path: rest,
    verb,
    apiPrefix: prefix,
    group,
    version,
    namespace,
    resource,
    name,
    subresource,
  };
}
