// Attributes: what a request wants to do, in the terms RBAC speaks (kube's
// authorizer.Attributes). Built from the parsed RequestInfo; for list and watch a
// `fieldSelector` pinning `metadata.name` narrows the request to that name, exactly as
// kube-apiserver does, so `resourceNames` rules can grant a list/watch of one object.
import { parseFieldSelector } from '../../fields/selector.ts';
import type { UserInfo } from '../authn/user.ts';
import type { RequestInfo } from '../request/requestinfo.ts';

export interface ResourceAttributes {
  resourceRequest: true;
  user: UserInfo;
  /** Logical cluster path, or `*` (wildcard). */
  cluster: string;
  verb: string;
  namespace: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  name: string;
}

export interface NonResourceAttributes {
  resourceRequest: false;
  user: UserInfo;
  cluster: string;
  verb: string;
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

/** HTTP method → non-resource verb (kube: get, post, put, patch, delete; HEAD is get). */
export function nonResourceVerb(method: string): string {
  const m = method.toLowerCase();
  return m === 'head' ? 'get' : m;
}

/** The single name a field selector pins with `metadata.name=`, if any. */
export function nameFromFieldSelector(selector: string | null): string {
  if (!selector) return '';
  try {
    const req = parseFieldSelector(selector).requirements.find((r) => r.field === 'metadata.name' && r.operator === '=');
    return req?.value ?? '';
  } catch {
    return ''; // a malformed selector is the handler's 400; for authorization it narrows nothing
  }
}

export function attributesFor(user: UserInfo, info: RequestInfo, url: URL): Attributes {
  if (!info.isResourceRequest) {
    return { resourceRequest: false, user, cluster: info.cluster, verb: nonResourceVerb(info.verb), path: info.path.replace(/\/+$/, '') || '/' };
  }
  let name = info.name;
  if ((info.verb === 'list' || info.verb === 'watch') && name === '') name = nameFromFieldSelector(url.searchParams.get('fieldSelector'));
  // The Namespace object itself (`/namespaces/<name>`) is cluster-scoped: only cluster-wide
  // rules authorise it. (kube also consults the RoleBindings inside <name>; kplane's `admin`
  // role is `*`, so that would let a namespace admin delete its own namespace.)
  return {
    resourceRequest: true,
    user,
    cluster: info.cluster,
    verb: info.verb,
    namespace: info.namespace,
    apiGroup: info.group,
    resource: info.resource,
    subresource: info.subresource,
    name,
  };
}
