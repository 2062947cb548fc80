// Minimal object shapes the generic client and informers work with.
import type { LooseObjectMeta } from '../../apis/meta/v1/loose.ts';
import type { OwnerReference } from '../../apis/meta/v1/objectmeta.ts';

export type ObjectMeta = LooseObjectMeta;
export type { OwnerReference };

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

/** The annotation naming an object's logical cluster. */
export const CLUSTER_ANNOTATION = 'kcp.io/cluster';

export function clusterOf(obj: KubeObject): string {
  return obj.metadata.annotations?.[CLUSTER_ANNOTATION] ?? '';
}
