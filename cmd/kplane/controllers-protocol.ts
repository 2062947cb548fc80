// Messages between `kplane start`'s main thread and its controllers' worker thread
// (controllers-thread.ts ↔ controllers-worker.ts). Only data crosses: the worker reaches the
// API server over HTTP like any client (on the loopback socket when there is one).
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { LogFormat, LogLevel } from '../../pkg/log/logger.ts';

/** What the worker needs to build its ControllerManager (workerData). */
export interface ControllersWorkerData {
  url: string;
  caPem: string;
  token: string;
  /** The server's loopback socket (pkg/server/loopback-socket.ts); absent: HTTPS to `url`. */
  socketPath?: string;
  controllers: string;
  heartbeatThresholdMs: number;
  evictionGraceMs: number;
  syncerImage: string;
  logFormat: LogFormat;
  logLevel: LogLevel;
  /** Run pkg/memory's IdleMemoryReducer on the worker's own heap (--reduce-idle-heap). */
  reduceIdleHeap: boolean;
}

export type WorkerMetrics = MetricObjectWithValues<MetricValue<string>>[];

export type ToWorker = { type: 'stop' } | { type: 'metrics'; id: number };

export type FromWorker = { type: 'synced' } | { type: 'metrics'; id: number; metrics: WorkerMetrics; error?: string };
