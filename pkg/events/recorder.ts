// EventRecorder writes core/v1 Events about an object into the object's logical cluster, so
// `kubectl describe` shows them. Repeats of the same reason and message are folded into one
// Event whose count grows (client-go's correlator, reduced to its essence). Recording never
// throws: a failed Event is logged and dropped, it must not fail a reconcile.
import { createHash } from 'node:crypto';
import type { ClusterClient } from '../client/clusterclient.ts';
import { isAlreadyExists } from '../client/errors.ts';
import { clusterOf, type KubeObject } from '../client/object.ts';
import type { Logger } from '../log/logger.ts';
import { formatTime } from '../../apis/meta/v1/time.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void>;
}

export class ClientEventRecorder implements EventRecorder {
  private readonly clusterClient: ClusterClient;
  private readonly component: string;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(clusterClient: ClusterClient, component: string, logger: Logger, now: () => number = Date.now) {
    this.clusterClient = clusterClient;
    this.component = component;
    this.logger = logger;
    this.now = now;
  }

  async event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const cluster = clusterOf(obj);
    // Events about cluster-scoped objects live in `default`, as in Kubernetes.
    const namespace = obj.metadata.namespace || 'default';
    const digest = createHash('sha256').update(`${obj.metadata.uid}/${type}/${reason}/${message}`).digest('hex').slice(0, 10);
    const name = `${obj.metadata.name}.${digest}`;
    const now = formatTime(new Date(this.now()));
    const events = this.clusterClient.cluster(cluster).events(namespace);
    try {
      try {
        await events.create({
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace },
          involvedObject: {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            name: obj.metadata.name,
            ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
            uid: obj.metadata.uid,
            resourceVersion: obj.metadata.resourceVersion,
          },
          type,
          reason,
          message,
          count: 1,
          firstTimestamp: now,
          lastTimestamp: now,
          source: { component: this.component },
          reportingComponent: this.component,
        });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = await events.get(name);
        const count = typeof existing.count === 'number' ? existing.count + 1 : 2;
        await events.patch(name, 'merge', { count, lastTimestamp: now });
      }
    } catch (err) {
      this.logger.warn('could not record event', { cluster, object: obj.metadata.name, reason, err: err instanceof Error ? err.message : String(err) });
    }
  }
}

/** Records nothing; for tests and tools that must not write. */
export const discardEvents: EventRecorder = { event: async () => undefined };
