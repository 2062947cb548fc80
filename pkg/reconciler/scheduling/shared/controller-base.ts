// The wiring the four scheduling controllers share: a named rate-limited queue, event handlers
// that turn one changed object into the keys it affects, and a runner that waits for the
// informers the controller reads. Each controller keeps only what differs: its informers, how
// an event maps to keys, its worker count and its reconcile step.
import { isDeepStrictEqual } from 'node:util';
import type { ClusterClient } from '../../../client/clusterclient.ts';
import { clusterOf, type KubeObject } from '../../../client/object.ts';
import type { ControllerMetrics } from '../../../controller/metrics-hooks.ts';
import { Controller, type Reconcile } from '../../../controller/runner.ts';
import type { SharedInformerFactory } from '../../../informer/factory.ts';
import { deletedObject, type EventHandler } from '../../../informer/handlers.ts';
import type { Logger } from '../../../log/logger.ts';
import type { QueueMetricsProvider } from '../../../workqueue/metrics-hooks.ts';
import { RateLimitingQueue } from '../../../workqueue/rate-limiting-queue.ts';

export interface SchedulingWiringOptions {
  logger: Logger;
  metrics?: ControllerMetrics;
  queueMetrics?: QueueMetricsProvider;
}

/** What every scheduling controller is built from; each adds its own extras (recorder, workers, clock). */
export interface SchedulingControllerOptions extends SchedulingWiringOptions {
  clusterClient: ClusterClient;
  informers: SharedInformerFactory;
}

export interface SchedulingRunSpec {
  workers: number;
  /** Every informer the reconcile reads through a lister: workers start once all have synced. */
  informers: ReadonlyArray<{ hasSynced(): boolean }>;
  reconcile: Reconcile<string>;
}

export abstract class SchedulingController {
  readonly queue: RateLimitingQueue<string>;
  readonly #name: string;
  readonly #logger: Logger;
  readonly #metrics: ControllerMetrics | undefined;
  #controller: Controller<string> | undefined;

  protected constructor(name: string, opts: SchedulingWiringOptions) {
    this.#name = name;
    this.#logger = opts.logger.child({ controller: name });
    this.#metrics = opts.metrics;
    this.queue = new RateLimitingQueue<string>({ name, ...(opts.queueMetrics ? { metricsProvider: opts.queueMetrics } : {}) });
  }

  /** Enqueues the keys an added, changed or deleted object affects; resyncs (same resourceVersion) are skipped. */
  /**
   * `view`, when given, is the part of the object the controller reads: an update that leaves it
   * equal (e.g. a SyncTarget's heartbeat) enqueues nothing.
   */
  protected fanOut<T extends KubeObject>(keys: (o: T) => string[], view?: (o: T) => unknown): EventHandler<T> {
    const enqueue = (o: T) => {
      for (const k of keys(o)) this.queue.add(k);
    };
    return {
      onAdd: (o) => enqueue(o),
      onUpdate: (a, b) => {
        if (a.metadata.resourceVersion === b.metadata.resourceVersion) return;
        if (view && isDeepStrictEqual(view(a), view(b))) return;
        enqueue(b);
      },
      onDelete: (o) => enqueue(deletedObject(o)),
    };
  }

  /** fanOut keyed by the object's workspace. */
  protected toWorkspace<T extends KubeObject>(view?: (o: T) => unknown): EventHandler<T> {
    return this.fanOut((o) => [clusterOf(o)], view);
  }

  /** Called once at the end of the subclass constructor, after its handlers are registered. */
  protected wire(spec: SchedulingRunSpec): void {
    const informers = spec.informers;
    this.#controller = new Controller<string>({
      name: this.#name,
      queue: this.queue,
      workers: spec.workers,
      hasSynced: () => informers.every((i) => i.hasSynced()),
      logger: this.#logger,
      ...(this.#metrics ? { metrics: this.#metrics } : {}),
      reconcile: spec.reconcile,
    });
  }

  /** Enqueues every key the controller owns (used after a leadership change or a missed event). */
  abstract resyncAll(): void;

  run(signal: AbortSignal): Promise<void> {
    // A subclass that forgot wire() is a programming error, not a runtime condition to recover from.
    if (!this.#controller) throw new Error(`${this.#name}: wire() was not called in the constructor`);
    return this.#controller.run(signal);
  }
}
