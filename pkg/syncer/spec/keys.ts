// Queue keys of the spec controller: `<type> <cluster>|<namespace>/<name>` for objects
// (type as in --resources, e.g. deployments.apps) and `namespaces <cluster>|<name>` for
// namespaces. A space cannot occur in a type, a workspace path or a name.
import { clusterKey, splitKey } from '../../informer/keys.ts';

export const NAMESPACES = 'namespaces';

export interface SpecKey {
  type: string;
  cluster: string;
  namespace: string;
  name: string;
}

export function specKey(type: string, cluster: string, namespace: string, name: string): string {
  return `${type} ${clusterKey(cluster, namespace, name)}`;
}

export function namespaceKey(cluster: string, name: string): string {
  return specKey(NAMESPACES, cluster, '', name);
}

export function parseSpecKey(key: string): SpecKey {
  const sp = key.indexOf(' ');
  const type = key.slice(0, sp);
  const k = splitKey(key.slice(sp + 1));
  return { type, ...k };
}
