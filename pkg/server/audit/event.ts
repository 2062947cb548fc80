// Builds the audit.k8s.io/v1 Event of one answered request at Metadata level. Only names
// and outcomes go in: no bodies, no headers besides the user agent, and never a credential
// (the user is recorded by name, groups, uid and extra, as authentication resolved it).
import type { AuditEvent, AuditObjectReference, AuditUserInfo } from '../../../apis/audit/v1/types.ts';
import { formatMicroTime } from '../../../apis/meta/v1/time.ts';
import type { UserInfo } from '../authn/user.ts';
import type { RequestInfo } from '../request/requestinfo.ts';

/** Annotation naming the logical cluster (workspace path) a request addressed. */
export const CLUSTER_ANNOTATION = 'kplane.io/cluster';

export interface AnsweredRequest {
  auditID: string;
  requestURI: string;
  info: RequestInfo;
  /** Undefined when authentication failed (401). */
  user: UserInfo | undefined;
  impersonatedUser: UserInfo | undefined;
  sourceIP: string | undefined;
  userAgent: string | undefined;
  code: number;
  receivedAt: number;
  completedAt: number;
}

function auditUser(u: UserInfo): AuditUserInfo {
  return {
    username: u.username,
    ...(u.uid ? { uid: u.uid } : {}),
    groups: u.groups,
    ...(u.extra && Object.keys(u.extra).length > 0 ? { extra: u.extra } : {}),
  };
}

function objectRef(info: RequestInfo): AuditObjectReference | undefined {
  if (!info.isResourceRequest) return undefined;
  const ref: AuditObjectReference = { resource: info.resource };
  if (info.namespace) ref.namespace = info.namespace;
  if (info.name) ref.name = info.name;
  if (info.group) ref.apiGroup = info.group;
  ref.apiVersion = info.version;
  if (info.subresource) ref.subresource = info.subresource;
  return ref;
}

export function auditEvent(r: AnsweredRequest): AuditEvent {
  const ref = objectRef(r.info);
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: r.auditID,
    stage: 'ResponseComplete',
    requestURI: r.requestURI,
    verb: r.info.verb,
    user: r.user ? auditUser(r.user) : { username: '' },
    ...(r.impersonatedUser ? { impersonatedUser: auditUser(r.impersonatedUser) } : {}),
    ...(r.sourceIP ? { sourceIPs: [r.sourceIP] } : {}),
    ...(r.userAgent ? { userAgent: r.userAgent } : {}),
    ...(ref ? { objectRef: ref } : {}),
    responseStatus: { metadata: {}, code: r.code },
    requestReceivedTimestamp: formatMicroTime(new Date(r.receivedAt)),
    stageTimestamp: formatMicroTime(new Date(r.completedAt)),
    annotations: { [CLUSTER_ANNOTATION]: r.info.cluster },
  };
}
