// What the heartbeat reconcile sees: the shared SyncTarget cache, the client, the tracker of
// observed beats and the controller's clock.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import type { SyncTarget } from '../../../client/index.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import type { Lister } from '../../../informer/lister.ts';
import type { HeartbeatJudge } from './judge.ts';

export const CONTROLLER_NAME = 'kplane-synctarget-heartbeat';

export interface HeartbeatDeps extends HeartbeatJudge {
  clusterClient: ClusterClient;
  syncTargets: Lister<SyncTarget>;
  recorder: EventRecorder;
  now: () => number;
}
