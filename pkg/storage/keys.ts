// Storage keys follow kube-apiserver's layout with the logical cluster inserted:
//   /registry/<group>/<resource>/<cluster>/[<namespace>/]<name>
// The core group is spelled "core" so that every key has the same number of segments.

export interface KeyParts {
  group: string;
  resource: string;
  cluster?: string;
  namespace?: string;
  name?: string;
}

const REGISTRY = '/registry';

/** Full key of one object. */
export function objectKey(p: Required<Pick<KeyParts, 'group' | 'resource' | 'cluster' | 'name'>> & { namespace?: string }): string {
  return prefixKey(p) + p.name;
}

/**
 * Prefix for a list or watch, always ending in '/'. Omit cluster for every cluster
 * (the wildcard), omit namespace for every namespace.
 */
export function prefixKey(p: KeyParts): string {
  let key = `${REGISTRY}/${p.group || 'core'}/${p.resource}/`;
  if (p.cluster === undefined) return key;
  key += `${p.cluster}/`;
  if (p.namespace) key += `${p.namespace}/`;
  return key;
}

/** Smallest string greater than every string starting with prefix (for range scans). */
export function prefixEnd(prefix: string): string {
  // '/' + 1 = '0'; bumping the last code unit covers every key under the prefix.
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
