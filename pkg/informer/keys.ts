// Cache keys are kcp's: `<cluster>|<namespace>/<name>` for namespaced objects and
// `<cluster>|<name>` for cluster-scoped ones, so one cache can hold every logical cluster.
import { clusterOf, type KubeObject } from '../client/object.ts';

export function clusterKey(cluster: string, namespace: string, name: string): string {
  return namespace ? `${cluster}|${namespace}/${name}` : `${cluster}|${name}`;
}

export function keyOf(obj: KubeObject): string {
  return clusterKey(clusterOf(obj), obj.metadata.namespace ?? '', obj.metadata.name ?? '');
}

export interface SplitKey {
  cluster: string;
  namespace: string;
  name: string;
}

export function splitKey(key: string): SplitKey {
  const bar = key.indexOf('|');
  const cluster = bar >= 0 ? key.slice(0, bar) : '';
  const rest = bar >= 0 ? key.slice(bar + 1) : key;
  const slash = rest.indexOf('/');
  return slash >= 0 ? { cluster, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) } : { cluster, namespace: '', name: rest };
}
