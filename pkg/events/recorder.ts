// EventRecorder writes core/v1 Events about an object into the object's logical cluster, so
// `kubectl describe` shows them. Repeats of the same reason and message are folded into one
// Event whose count grows (client-go's correlator, reduced to its essence). Recording never
// throws: a failed Event is logged and dropped, it must not fail a reconcile.
//
// Events go out through a small sink, as client-go's broadcaster sends them: at most a few in
// flight and a bounded backlog, and an Event arriving when the backlog is full is dropped (and
// counted in one log line per burst). Events are best effort; the status writes they describe are
// not. Unbounded, a fleet-wide transition (10,000 targets going stale at once) sent one Event per
// status write alongside it, halving the rate at which the status writes themselves got through.
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

export interface EventSinkOptions {
  /** Events being written at once (default 2). */
  maxInFlight?: number;
  /** Events waiting to be written before new ones are dropped (default 1000, client-go's). */
  maxQueued?: number;
}

export class ClientEventRecorder implements EventRecorder {
  private readonly clusterClient: ClusterClient;
  private readonly component: string;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  private readonly queued: (() => Promise<void>)[] = [];
  private inFlight = 0;
  private droppedInBurst = 0;
  /** Events dropped because the backlog was full (for tests and logs). */
  dropped = 0;

  constructor(clusterClient: ClusterClient, component: string, logger: Logger, now: () => number = Date.now, sink: EventSinkOptions = {}) {
    this.clusterClient = clusterClient;
    this.component = component;
    this.logger = logger;
    this.now = now;
    this.maxInFlight = sink.maxInFlight ?? 2;
    this.maxQueued = sink.maxQueued ?? 1000;
  }

  /** Resolves once the Event is written, folded, failed (logged) or dropped. */
  event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    if (this.queued.length >= this.maxQueued) {
      this.dropped++;
      if (this.droppedInBurst++ === 0) this.logger.warn('event backlog full; dropping events until it drains', { component: this.component, maxQueued: this.maxQueued });
      return Promise.resolve();
    }
    // The timestamp is the moment of recording, not of sending.
    const at = this.now();
    return new Promise((resolve) => {
      this.queued.push(() => this.write(obj, type, reason, message, at).finally(resolve));
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queued.length > 0) {
      const next = this.queued.shift()!;
      this.inFlight++;
      void next().finally(() => {
        this.inFlight--;
        if (this.queued.length === 0 && this.droppedInBurst > 0) {
          this.logger.warn('event backlog drained', { component: this.component, dropped: this.droppedInBurst });
          this.droppedInBurst = 0;
        }
        this.pump();
      });
    }
  }

  private async write(obj: KubeObject, type: EventType, reason: string, message: string, at: number): Promise<void> {
    const cluster = clusterOf(obj);
    // Events about cluster-scoped objects live in `default`, as in Kubernetes.
    const namespace = obj.metadata.namespace || 'default';
    const digest = createHash('sha256').update(`${obj.metadata.uid}/${type}/${reason}/${message}`).digest('hex').slice(0, 10);
    const name = `${obj.metadata.name}.${digest}`;
    const now = formatTime(new Date(at));
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
