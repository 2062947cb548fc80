// Typed views of kplane's own API objects for controllers (the schemas live in apis/).
import type { SyncTarget as ApiSyncTarget } from '../../apis/workload/v1alpha1/synctarget.ts';
import type { KubeObject, ObjectMeta } from './object.ts';

export type SyncTarget = Omit<ApiSyncTarget, 'metadata'> & KubeObject & { metadata: ObjectMeta };

export interface Workspace extends KubeObject {
  spec?: { type?: { name?: string; path?: string } };
  status?: { phase?: string; URL?: string; conditions?: unknown[] };
}
