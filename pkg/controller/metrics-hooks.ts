// The metric hooks the controller runner reports through: an interface and a no-op default
// only, so this package stays free of prom-client. pkg/metrics implements it on Prometheus.
// Names follow controller-runtime (pkg/internal/controller/metrics).

/** Value of the `result` label of `controller_runtime_reconcile_total`. */
export type ReconcileResultLabel = 'success' | 'error' | 'requeue' | 'requeue_after' | 'terminal_error';

/** Controller runner metrics; every method takes the controller's name (label `controller`). */
export interface ControllerMetrics {
  /** `controller_runtime_reconcile_total{controller,result}` */
  incReconcileTotal(controller: string, result: ReconcileResultLabel): void;
  /** `controller_runtime_reconcile_errors_total{controller}` — retriable errors. */
  incReconcileErrors(controller: string): void;
  /** `controller_runtime_terminal_reconcile_errors_total{controller}` — errors never requeued. */
  incTerminalReconcileErrors(controller: string): void;
  /** `controller_runtime_reconcile_timeouts_total{controller}` — ours: reconciles that hit their timeout. */
  incReconcileTimeouts(controller: string): void;
  /** `controller_runtime_reconcile_time_seconds{controller}` */
  observeReconcileTime(controller: string, seconds: number): void;
  /** `controller_runtime_active_workers{controller}` — workers inside a reconcile right now. */
  setActiveWorkers(controller: string, count: number): void;
  /** `controller_runtime_max_concurrent_reconciles{controller}` */
  setMaxConcurrentReconciles(controller: string, count: number): void;
}

export const noopControllerMetrics: ControllerMetrics = {
  incReconcileTotal() {},
  incReconcileErrors() {},
  incTerminalReconcileErrors() {},
  incReconcileTimeouts() {},
  observeReconcileTime() {},
  setActiveWorkers() {},
  setMaxConcurrentReconciles() {},
};
