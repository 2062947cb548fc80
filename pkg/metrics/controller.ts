// controller-runtime's reconcile metrics (pkg/internal/controller/metrics) on prom-client,
// behind pkg/controller's ControllerMetrics (controller/metrics-hooks.ts). Label `controller` is CONTROLLER_NAME.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { ControllerMetrics, ReconcileResultLabel } from '../controller/metrics-hooks.ts';
import type { MetricsRegistry } from './registry.ts';

/** controller-runtime's reconcile_time_seconds buckets (5ms … 60s). */
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6,
  7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
const RESULTS: ReconcileResultLabel[] = ['success', 'error', 'requeue', 'requeue_after', 'terminal_error'];

export class PromControllerMetrics implements ControllerMetrics {
  private readonly total: Counter<'controller' | 'result'>;
  private readonly errors: Counter<'controller'>;
  private readonly terminal: Counter<'controller'>;
  private readonly timeouts: Counter<'controller'>;
  private readonly time: Histogram<'controller'>;
  private readonly active: Gauge<'controller'>;
  private readonly maxConcurrent: Gauge<'controller'>;
  private readonly seen = new Set<string>();

  constructor(registry: MetricsRegistry) {
    const registers = [registry];
    this.total = new Counter({ name: 'controller_runtime_reconcile_total', help: 'Total number of reconciliations per controller', labelNames: ['controller', 'result'], registers });
    this.errors = new Counter({ name: 'controller_runtime_reconcile_errors_total', help: 'Total number of reconciliation errors per controller', labelNames: ['controller'], registers });
    this.terminal = new Counter({
      name: 'controller_runtime_terminal_reconcile_errors_total',
      help: 'Total number of terminal reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.timeouts = new Counter({
      name: 'controller_runtime_reconcile_timeouts_total',
      help: 'Total number of reconciliations that hit their timeout per controller (kplane)',
      labelNames: ['controller'],
      registers,
    });
    this.time = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: RECONCILE_BUCKETS,
      registers,
    });
    this.active = new Gauge({ name: 'controller_runtime_active_workers', help: 'Number of currently used workers per controller', labelNames: ['controller'], registers });
    this.maxConcurrent = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers,
    });
  }

  /** As controller-runtime: every result series exists (at 0) once the controller is known. */
  private init(controller: string): void {
    if (this.seen.has(controller)) return;
    this.seen.add(controller);
    for (const r of RESULTS) this.total.labels(controller, r).inc(0);
    this.errors.labels(controller).inc(0);
    this.terminal.labels(controller).inc(0);
    this.timeouts.labels(controller).inc(0);
    this.active.labels(controller).set(0);
  }

  incReconcileTotal(controller: string, result: ReconcileResultLabel): void {
    this.init(controller);
    this.total.labels(controller, result).inc();
  }
  incReconcileErrors(controller: string): void {
    this.init(controller);
    this.errors.labels(controller).inc();
  }
  incTerminalReconcileErrors(controller: string): void {
    this.init(controller);
    this.terminal.labels(controller).inc();
  }
  incReconcileTimeouts(controller: string): void {
    this.init(controller);
    this.timeouts.labels(controller).inc();
  }
  observeReconcileTime(controller: string, seconds: number): void {
    this.time.labels(controller).observe(seconds);
  }
  setActiveWorkers(controller: string, count: number): void {
    this.init(controller);
    this.active.labels(controller).set(count);
  }
  setMaxConcurrentReconciles(controller: string, count: number): void {
    this.init(controller);
    this.maxConcurrent.labels(controller).set(count);
  }
}
