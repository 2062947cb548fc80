// UserInfo: who a request acts as, once authentication (and impersonation) decided it.
// It lives in authn/ — the package that produces it — so that authz and the handlers both
// depend on authn, and nothing depends back on the handlers.
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const AUTHENTICATED_GROUP = 'system:authenticated';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';

/** The caller without credentials (kube's system:anonymous). */
export const ANONYMOUS: UserInfo = { username: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] };
