// The public paths: what anyone may GET without credentials (kube's system:public-info-viewer).
// One set, read by the authentication filter (anonymous callers get through only here) and
// by the authorizer (which allows them to everyone).
const PUBLIC_PREFIXES = ['/healthz', '/livez', '/readyz'];
const PUBLIC_EXACT = new Set(['/version']);

/** `path` is the request path after the cluster prefix, without trailing slashes. */
export function isPublicPath(path: string): boolean {
  return PUBLIC_EXACT.has(path) || PUBLIC_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}
