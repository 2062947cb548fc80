// The public paths: what anyone may GET without credentials (kube's system:public-info-viewer).
// One set, read by the authentication filter (anonymous callers get through only here) and
// by the authorizer (which allows them to everyone).
// `/dashboard` is the fleet dashboard's static files (pkg/server/dashboard): a page without
// data, like a login page; the data it shows is fetched with the user's own token. Only
// `/dashboard` itself and paths below `/dashboard/` match, never `/dashboardx`.
const PUBLIC_PREFIXES = ['/healthz', '/livez', '/readyz', '/dashboard'];
const PUBLIC_EXACT = new Set(['/version']);

/** `path` is the request path after the cluster prefix, without trailing slashes. */
export function isPublicPath(path: string): boolean {
  return PUBLIC_EXACT.has(path) || PUBLIC_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}
